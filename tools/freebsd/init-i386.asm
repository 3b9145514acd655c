; A tiny static /sbin/init for FreeBSD i386 kernels, for the real-kernel
; boot tests (tools/freebsd/init.ts assembles it with `nasm -f bin`); does
; what init-amd64.asm does: marker, argv, one kenv(2) value, power off.
;
; One ELF32 executable written by hand: EI_OSABI = 9 (FreeBSD), one
; PT_LOAD segment, no PT_INTERP, no sections.
; Syscall convention (FreeBSD i386): number in eax, arguments on the stack
; above a return-address slot, `int 0x80`; carry set on error. `call sys`
; provides that slot. At entry esp points at argc, followed by argv.

BITS 32

%include "init-common.inc"

BASE equ 0x08048000
ORG BASE

ehdr:
  db 0x7f, 'ELF', 1, 1, 1, 9      ; ELFCLASS32, little-endian, EV_CURRENT, ELFOSABI_FREEBSD
  times 8 db 0
  dw 2                            ; e_type ET_EXEC
  dw 3                            ; e_machine EM_386
  dd 1                            ; e_version
  dd start                        ; e_entry
  dd phdr - ehdr                  ; e_phoff
  dd 0                            ; e_shoff
  dd 0                            ; e_flags
  dw ehdr_end - ehdr              ; e_ehsize
  dw phdr_end - phdr              ; e_phentsize
  dw 1                            ; e_phnum
  dw 0, 0, 0                      ; e_shentsize, e_shnum, e_shstrndx
ehdr_end:

phdr:
  dd 1                            ; p_type PT_LOAD
  dd 0                            ; p_offset
  dd BASE                         ; p_vaddr
  dd BASE                         ; p_paddr
  dd file_end - ehdr              ; p_filesz
  dd file_end - ehdr              ; p_memsz
  dd 7                            ; p_flags R|W|X
  dd 0x1000                       ; p_align
phdr_end:

start:
  mov ebp, esp                    ; &argc
  push dword 0
  push dword O_RDWR
  push dword console
  mov eax, SYS_open
  call sys
  lea esp, [esp + 12]             ; lea keeps the carry flag
  jc poweroff                     ; no console: nothing to print on
  mov edi, eax                    ; console descriptor

  push dword msg_started
  call puts
  push dword msg_argv
  call puts
  mov ebx, [ebp]                  ; argc
  lea esi, [ebp + 4]              ; argv
.arg:
  test ebx, ebx
  jz .args_done
  push dword space
  call puts
  push dword [esi]
  call puts
  add esi, 4
  dec ebx
  jmp .arg
.args_done:
  push dword newline
  call puts

  sub esp, VALUE_MAX
  mov ecx, esp                    ; value buffer
  push dword VALUE_MAX
  push ecx
  push dword kenv_name
  push dword KENV_GET
  mov eax, SYS_kenv
  call sys
  lea esp, [esp + 16]             ; lea keeps the carry flag
  jc .unset
  push dword msg_kenv
  call puts
  push esp                        ; the buffer (esp before this push)
  call puts
  push dword newline
  call puts
  jmp .kenv_done
.unset:
  push dword msg_unset
  call puts
.kenv_done:
  add esp, VALUE_MAX

  push dword msg_off
  call puts
poweroff:
  push dword RB_POWEROFF
  mov eax, SYS_reboot
  call sys
.spin:
  pause
  jmp .spin

; sys: the system call numbered eax; the caller pushed the arguments, the
; call pushed the return-address slot the kernel skips.
sys:
  int 0x80
  ret

; puts: writes the NUL-terminated string pushed by the caller to the console
; (edi); pops its argument.
puts:
  mov ecx, [esp + 4]
  xor edx, edx
.len:
  cmp byte [ecx + edx], 0
  je .write
  inc edx
  jmp .len
.write:
  push edx
  push ecx
  push edi
  mov eax, SYS_write
  call sys
  add esp, 12
  ret 4

init_strings 'i386'
file_end:
