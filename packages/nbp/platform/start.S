/*
 * Engine entry (32-bit flat protected mode, from stub.asm with EAX = bootinfo),
 * CPU exception and syscall entry points.
 *
 * Every entry into C aligns the stack as gcc's i386 ABI assumes: ESP is a
 * multiple of 16 at the `call`, so (ESP + 4) % 16 == 0 in the callee. The
 * SSE build (PXE_NBP_FPU=sse) keeps 16-byte values in stack slots with
 * movaps, which raises CPU exception 13 on a misaligned slot.
 */
        .section .header, "a"
        .long 0x4E504245            /* "EBPN": checked by the stub */
        .long _start                /* entry */
        .long __bss_start
        .long __bss_end             /* the loader source goes after this */

        .section .text.boot, "ax"
        .globl _start
_start:
        cli
        mov     %eax, %ebx
        mov     $nbp_stack_top, %esp
        mov     $__bss_start, %edi
        mov     $__bss_end, %ecx
        sub     %edi, %ecx
        xor     %eax, %eax
        cld
        rep stosb
        /* FPU: clear EM and TS, set MP and NE */
        mov     %cr0, %eax
        and     $~0x0C, %eax
        or      $0x22, %eax
        mov     %eax, %cr0
        fninit
#ifndef NBP_NO_SSE
        /* SSE: CR4.OSFXSR | CR4.OSXMMEXCPT (the engine is built with -msse2) */
        mov     %cr4, %eax
        or      $0x600, %eax
        mov     %eax, %cr4
#endif
        sub     $12, %esp           /* nbp_stack_top is 16-aligned: 12 + 4 bytes of argument */
        push    %ebx
        call    nbp_main
1:      hlt
        jmp     1b

/* CPU exceptions: push a vector (and a dummy error code where the CPU does
   not), save the registers, call nbp_exception(frame). */
        .macro EXC n, err
        .globl nbp_exc\n
nbp_exc\n:
        .if \err == 0
        push    $0
        .endif
        push    $\n
        jmp     exc_common
        .endm
        EXC 0,0
        EXC 1,0
        EXC 2,0
        EXC 3,0
        EXC 4,0
        EXC 5,0
        EXC 6,0
        EXC 7,0
        EXC 8,1
        EXC 9,0
        EXC 10,1
        EXC 11,1
        EXC 12,1
        EXC 13,1
        EXC 14,1
        EXC 15,0
        EXC 16,0
        EXC 17,1
        EXC 18,0
        EXC 19,0
exc_common:
        pusha
        mov     %esp, %eax          /* the frame; the fault may come at any stack depth */
        and     $-16, %esp
        sub     $12, %esp
        push    %eax
        call    nbp_exception
2:      hlt
        jmp     2b

        .data
        .globl nbp_exc_table
nbp_exc_table:
        .long nbp_exc0, nbp_exc1, nbp_exc2, nbp_exc3, nbp_exc4, nbp_exc5, nbp_exc6, nbp_exc7
        .long nbp_exc8, nbp_exc9, nbp_exc10, nbp_exc11, nbp_exc12, nbp_exc13, nbp_exc14, nbp_exc15
        .long nbp_exc16, nbp_exc17, nbp_exc18, nbp_exc19
        .text

/* musl's syscalls: `call *%gs:16` (thread block field `sysinfo`) with
   EAX = number, EBX, ECX, EDX, ESI, EDI, EBP = arguments, from any stack
   depth: the saved registers are copied as the arguments of
   nbp_syscall(nr, a, b, c, d, e, f) onto a 16-aligned stack. */
        .globl nbp_sysinfo_entry
nbp_sysinfo_entry:
        push    %ebp
        push    %edi
        push    %esi
        push    %edx
        push    %ecx
        push    %ebx
        push    %eax
        mov     %esp, %ebp          /* EBP: callee-saved in C, the saved EBP is on the stack */
        and     $-16, %esp
        sub     $4, %esp            /* 4 + 7 arguments * 4 = 32 */
        push    24(%ebp)
        push    20(%ebp)
        push    16(%ebp)
        push    12(%ebp)
        push    8(%ebp)
        push    4(%ebp)
        push    0(%ebp)
        call    nbp_syscall
        lea     4(%ebp), %esp       /* drop the saved EAX: it carries the result */
        pop     %ebx
        pop     %ecx
        pop     %edx
        pop     %esi
        pop     %edi
        pop     %ebp
        ret

/* The same through INT 80h (in case some path uses it). */
        .globl nbp_int80_entry
nbp_int80_entry:
        call    nbp_sysinfo_entry
        iret

        .bss
        .align 16
        .globl nbp_stack_bottom
nbp_stack_bottom:
        .skip 1024*1024
        .globl nbp_stack_top
nbp_stack_top:
