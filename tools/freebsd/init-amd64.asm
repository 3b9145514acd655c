; A tiny static /sbin/init for FreeBSD amd64 kernels, for the real-kernel
; boot tests (tools/freebsd/init.ts assembles it with `nasm -f bin`).
; It opens /dev/console, prints a marker, the arguments the kernel gave it
; (so `boot -s` shows "-s"), one kernel environment value read with
; kenv(2), then powers the machine off with reboot(RB_POWEROFF).
;
; The whole file is one ELF64 executable written by hand: EI_OSABI = 9
; (FreeBSD), one PT_LOAD segment, no PT_INTERP, no sections.
; Syscall convention (FreeBSD amd64): number in rax, arguments in rdi, rsi,
; rdx, r10; `syscall` clobbers rcx and r11; carry set on error.
; At entry rdi points at argc, followed by the argv pointers.

BITS 64

%include "init-common.inc"

BASE equ 0x400000
ORG BASE

ehdr:
  db 0x7f, 'ELF', 2, 1, 1, 9      ; ELFCLASS64, little-endian, EV_CURRENT, ELFOSABI_FREEBSD
  times 8 db 0
  dw 2                            ; e_type ET_EXEC
  dw 62                           ; e_machine EM_X86_64
  dd 1                            ; e_version
  dq start                        ; e_entry
  dq phdr - ehdr                  ; e_phoff
  dq 0                            ; e_shoff
  dd 0                            ; e_flags
  dw ehdr_end - ehdr              ; e_ehsize
  dw phdr_end - phdr              ; e_phentsize
  dw 1                            ; e_phnum
  dw 0, 0, 0                      ; e_shentsize, e_shnum, e_shstrndx
ehdr_end:

phdr:
  dd 1                            ; p_type PT_LOAD
  dd 7                            ; p_flags R|W|X
  dq 0                            ; p_offset
  dq BASE                         ; p_vaddr
  dq BASE                         ; p_paddr
  dq file_end - ehdr              ; p_filesz
  dq file_end - ehdr              ; p_memsz
  dq 0x1000                       ; p_align
phdr_end:

start:
  mov r12, rdi                    ; &argc
  lea rdi, [rel console]
  mov esi, O_RDWR
  xor edx, edx
  mov eax, SYS_open
  syscall
  jc poweroff                     ; no console: nothing to print on
  mov r13, rax                    ; console descriptor

  lea rsi, [rel msg_started]
  call puts

  lea rsi, [rel msg_argv]
  call puts
  mov rbx, [r12]                  ; argc
  lea r14, [r12 + 8]              ; argv
.arg:
  test rbx, rbx
  jz .args_done
  lea rsi, [rel space]
  call puts
  mov rsi, [r14]
  call puts
  add r14, 8
  dec rbx
  jmp .arg
.args_done:
  lea rsi, [rel newline]
  call puts

  sub rsp, VALUE_MAX
  mov edi, KENV_GET
  lea rsi, [rel kenv_name]
  mov rdx, rsp
  mov r10d, VALUE_MAX
  mov eax, SYS_kenv
  syscall
  jc .unset
  lea rsi, [rel msg_kenv]
  call puts
  mov rsi, rsp
  call puts
  lea rsi, [rel newline]
  call puts
  jmp .kenv_done
.unset:
  lea rsi, [rel msg_unset]
  call puts
.kenv_done:
  add rsp, VALUE_MAX

  lea rsi, [rel msg_off]
  call puts
poweroff:
  mov edi, RB_POWEROFF
  mov eax, SYS_reboot
  syscall
.spin:
  pause
  jmp .spin

; puts: writes the NUL-terminated string at rsi to the console (r13).
puts:
  xor edx, edx
.len:
  cmp byte [rsi + rdx], 0
  je .write
  inc rdx
  jmp .len
.write:
  mov rdi, r13
  mov eax, SYS_write
  syscall
  ret

init_strings 'amd64'
file_end:
