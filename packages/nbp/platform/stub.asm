; pxehttp.0 — the real-mode stub of the NBP.
;
; The PXE ROM loads the whole file at 0000:7C00 and jumps here in real mode.
; This stub:
;   1. records how the PXE API was found (!PXE at SS:SP+4, PXENV+ at ES:BX,
;      or INT 1Ah AX=5650h) and the base-memory size (INT 12h);
;   2. enables A20 and enters 32-bit protected mode (flat 4 GiB segments);
;   3. decompresses the engine (C platform + QuickJS) to 1 MiB and the
;      bundled loader (JavaScript) right after the engine's BSS;
;   4. jumps to the engine with EAX = linear address of `bootinfo`.
; It stays resident below 64 KiB: the engine calls back into `rm_call`, the
; real-mode thunk, to reach the PXE API entry point and BIOS interrupts.
;
; File layout: [this stub][compressed engine][compressed loader]. The build
; (packages/nbp/tools/image.mjs) patches the sizes into `hdr`.
;
; Build: nasm -f bin -o stub.bin stub.asm

        org 0x7C00
        bits 16

; Under QEMU's TCG every store to a 4 KiB page that holds translated code
; takes the slow self-modifying-code path. The thunk's stack, its variables
; and the allocLow pool (PXE parameter blocks, UNDI buffers) are written on
; every PXE call, so they live on pages apart from the stub's code
; (0x7C00-0x80FF): with them next to it a PXE call took 107 us, 36 apart.
RM_STACK_TOP    equ 0x7000          ; real-mode stack: 0000:0500 .. 0000:6FFF
RMC_DATA        equ 0x9000          ; the thunk's variables, then the allocLow pool
ENGINE_BASE     equ 0x100000        ; engine is linked at 1 MiB
ENGINE_MAGIC    equ 0x4E504245      ; "EBPN" little-endian, engine header word 0

SEL_CODE32      equ 0x08
SEL_DATA32      equ 0x10
SEL_CODE16      equ 0x18
SEL_DATA16      equ 0x20
SEL_TLS         equ 0x28

start:
        jmp     0x0000:entry        ; normalise CS:IP to 0000:7Cxx
        times 8-($-$$) db 0

; ---- image header (offset 8), patched by the build -------------------------
hdr:
hdr_magic:       dd 0x3150424E       ; "NBP1"
hdr_engine_clen: dd 0                ; compressed engine bytes (follows the stub)
hdr_engine_len:  dd 0                ; engine bytes once decompressed
hdr_js_clen:     dd 0                ; compressed loader bytes (follows the engine)
hdr_js_len:      dd 0                ; loader bytes once decompressed (with NUL)
hdr_stub_len:    dd stub_end - start ; where the compressed engine starts
hdr_loader_id:   dd 0                ; build id a second-stage loader file must carry

; ---- bootinfo: what the engine learns from the stub --------------------------
; Keep in sync with `struct bootinfo` in platform/nbp.h.
align 4
bootinfo:
bi_magic:        dd 0x4F464E49       ; "INFO"
bi_method:       dd 0                ; 1 = !PXE from SS:SP+4, 2 = PXENV+ from ES:BX, 3 = INT 1Ah
bi_bangpxe:      dd 0                ; seg:off of !PXE (0 if none)
bi_pxenv:        dd 0                ; seg:off of PXENV+ (0 if none)
bi_thunk:        dd rm_call          ; void rm_call(struct rmcall *)
bi_gdt:          dd gdt              ; linear address of the GDT (engine patches SEL_TLS)
bi_low_start:    dd rmc_data_end     ; first free byte of conventional memory
bi_low_end:      dd 0                ; top of conventional memory (INT 12h)
bi_js_addr:      dd 0                ; loader source (NUL-terminated)
bi_js_len:       dd 0                ; its length without the NUL
bi_entry_sssp:   dd 0                ; SS:SP at entry
bi_entry_esbx:   dd 0                ; ES:BX at entry
bi_image_len:    dd 0                ; bytes of the file as loaded
bi_idle:         dd rm_idle          ; seg:off (segment 0) of `hlt; retf`, for rm_far
bi_boot:         dd boot_tramp       ; void boot_tramp(copies, n, entry): the kernel hand-off

; ---- 16-bit entry -----------------------------------------------------------
entry:
        cli
        mov     [cs:bi_entry_esbx], bx
        mov     [cs:bi_entry_esbx+2], es
        mov     [cs:bi_entry_sssp], sp
        mov     [cs:bi_entry_sssp+2], ss
%ifdef TEST_NO_ENTRY_POINTERS
        ; Test builds: pretend the ROM passed no pointers (forces INT 1Ah).
        xor     cx, cx
        mov     ds, cx
        jmp     .no_esbx
%endif
        ; !PXE far pointer at SS:SP+4 (the ROM far-called us)
        mov     bp, sp
        mov     di, [ss:bp+4]
        mov     ax, [ss:bp+6]
        xor     cx, cx
        mov     ds, cx
        mov     es, ax
        cmp     dword [es:di], '!PXE'
        jne     .no_stack_pxe
        mov     [bi_bangpxe], di
        mov     [bi_bangpxe+2], ax
        mov     dword [bi_method], 1
.no_stack_pxe:
        ; PXENV+ at ES:BX
        mov     es, [bi_entry_esbx+2]
        mov     bx, [bi_entry_esbx]
        cmp     dword [es:bx], 'PXEN'
        jne     .no_esbx
        cmp     word [es:bx+4], 'V+'
        jne     .no_esbx
        mov     [bi_pxenv], bx
        mov     [bi_pxenv+2], es
        cmp     dword [bi_method], 0
        jne     .no_esbx
        mov     dword [bi_method], 2
.no_esbx:
        ; own stack below the stub
        xor     ax, ax
        mov     ss, ax
        mov     sp, RM_STACK_TOP
        sti
        cmp     dword [bi_pxenv], 0
        jne     .have_pxenv
        ; INT 1Ah AX=5650h: installation check, ES:BX -> PXENV+
        mov     ax, 0x5650
        int     0x1A
        jc      .have_pxenv
        cmp     ax, 0x564E
        jne     .have_pxenv
        xor     cx, cx
        mov     ds, cx
        mov     [bi_pxenv], bx
        mov     [bi_pxenv+2], es
        cmp     dword [bi_method], 0
        jne     .have_pxenv
        mov     dword [bi_method], 3
.have_pxenv:
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        ; !PXE from PXENV+ (version >= 2.1, field PXEPtr at +28h)
%ifdef TEST_NO_PXEPTR
        jmp     .pxe_done           ; test builds: a PXENV+-only ROM
%endif
        cmp     dword [bi_bangpxe], 0
        jne     .pxe_done
        cmp     dword [bi_pxenv], 0
        je      .pxe_done
        les     bx, [bi_pxenv]
        cmp     word [es:bx+6], 0x0201
        jb      .pxe_done
        mov     eax, [es:bx+0x28]
        test    eax, eax
        jz      .pxe_done
        mov     [bi_bangpxe], eax
.pxe_done:
        xor     ax, ax
        mov     es, ax
        ; conventional memory size in KiB
        int     0x12
        movzx   eax, ax
        shl     eax, 10
        mov     [bi_low_end], eax
        ; A20: already on? else BIOS, then the fast gate at port 92h, then
        ; the keyboard controller; checked after each.
        call    a20_on
        jnc     .a20_done
        mov     ax, 0x2401
        int     0x15
        call    a20_on
        jnc     .a20_done
        in      al, 0x92
        or      al, 2
        and     al, 0xFE
        out     0x92, al
        call    a20_on
        jnc     .a20_done
        cli
        call    kbc_wait
        mov     al, 0xD1            ; write output port
        out     0x64, al
        call    kbc_wait
        mov     al, 0xDF            ; A20 on
        out     0x60, al
        call    kbc_wait
        sti
        call    a20_on
        jnc     .a20_done
        mov     si, msg_a20
        jmp     rm_fail
.a20_done:
        cli
        o32 lgdt [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     dword SEL_CODE32:pm_entry

; rm_fail: prints the NUL-terminated message at DS:SI (BIOS teletype and
; COM1) and halts.
rm_fail:
        xor     ax, ax
        mov     ds, ax
.next:  lodsb
        test    al, al
        jz      .halt
        push    ax
        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        pop     ax
        mov     dx, 0x3F8
        out     dx, al
        jmp     .next
.halt:  cli
        hlt
        jmp     .halt

msg_a20: db "pxehttp.0: cannot enable the A20 gate; halted", 13, 10, 0

; a20_on: CF clear when A20 is enabled (0000:0500 and FFFF:0510 differ
; after changing one of them). Preserves everything but flags.
a20_on:
        push    ds
        push    es
        push    ax
        push    si
        push    di
        xor     ax, ax
        mov     ds, ax
        not     ax
        mov     es, ax
        mov     si, 0x0500
        mov     di, 0x0510
        mov     al, [ds:si]
        push    ax
        mov     byte [ds:si], 0x00
        mov     byte [es:di], 0xFF
        cmp     byte [ds:si], 0xFF
        pop     ax
        mov     [ds:si], al
        clc
        jne     .on
        stc
.on:    pop     di
        pop     si
        pop     ax
        pop     es
        pop     ds
        ret

kbc_wait:
        push    cx
        mov     cx, 0xFFFF
.w:     in      al, 0x64
        test    al, 2
        jz      .ok
        loop    .w
.ok:    pop     cx
        ret

; ---- GDT ----------------------------------------------------------------------
align 8
gdt:
        dq 0
        dq 0x00CF9A000000FFFF       ; 08: code32, flat
        dq 0x00CF92000000FFFF       ; 10: data32, flat
        dq 0x00009A000000FFFF       ; 18: code16, base 0, 64 KiB
        dq 0x000092000000FFFF       ; 20: data16, base 0, 64 KiB
        dq 0x00CF92000000FFFF       ; 28: thread block (engine sets the base)
gdt_end:
gdtr:   dw gdt_end - gdt - 1
        dd gdt
rm_idtr:
        dw 0x3FF
        dd 0

; ---- 32-bit: decompress and start the engine ----------------------------------
        bits 32
pm_entry:
        mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, RM_STACK_TOP
        cld
        ; engine -> 1 MiB
        mov     esi, start
        add     esi, [hdr_stub_len]
        mov     ecx, [hdr_engine_clen]
        mov     edi, ENGINE_BASE
        push    esi
        call    lz_decode
        pop     esi
        add     esi, [hdr_engine_clen]
        cmp     dword [ENGINE_BASE], ENGINE_MAGIC
        jne     .bad
        ; loader -> after the engine's BSS (header word 3), 16-byte aligned
        mov     edi, [ENGINE_BASE+12]
        add     edi, 15
        and     edi, ~15
        mov     [bi_js_addr], edi
        cmp     dword [hdr_js_clen], 0
        je      .no_js              ; no loader inside: the engine fetches it (platform/stage2.c)
        mov     eax, [hdr_js_len]
        dec     eax
        mov     [bi_js_len], eax
        mov     ecx, [hdr_js_clen]
        push    esi
        call    lz_decode
        pop     esi
        add     esi, [hdr_js_clen]
.no_js:
        sub     esi, start
        mov     [bi_image_len], esi
        mov     eax, bootinfo
        jmp     [ENGINE_BASE+4]
.bad:
        mov     dx, 0x3F8
        mov     al, '!'
        out     dx, al
.halt:  hlt
        jmp     .halt

; lz_decode: ESI = source, ECX = source length, EDI = destination.
; Format (written by tools/lz.mjs): sequences of
;   token (literal count in the high nibble, match length - 4 in the low nibble;
;   a nibble of 15 continues in following bytes, each added, until one < 255),
;   the literals, then a 16-bit little-endian back offset and the match.
; The last sequence has literals only.
lz_decode:
        push    ebp
        push    ebx
        lea     ebp, [esi+ecx]
.seq:
        cmp     esi, ebp
        jae     .done
        movzx   edx, byte [esi]
        inc     esi
        mov     ecx, edx
        shr     ecx, 4
        cmp     ecx, 15
        jne     .lit
.litx:  movzx   eax, byte [esi]
        inc     esi
        add     ecx, eax
        cmp     al, 255
        je      .litx
.lit:   rep movsb
        cmp     esi, ebp
        jae     .done
        movzx   eax, word [esi]
        add     esi, 2
        and     edx, 15
        mov     ecx, edx
        cmp     ecx, 15
        jne     .m
.mx:    movzx   ebx, byte [esi]
        inc     esi
        add     ecx, ebx
        cmp     bl, 255
        je      .mx
.m:     add     ecx, 4
        push    esi
        mov     esi, edi
        sub     esi, eax
        rep movsb
        pop     esi
        jmp     .seq
.done:
        pop     ebx
        pop     ebp
        ret

; ---- the real-mode thunk ---------------------------------------------------------
; void rm_call(struct rmcall *p)   (cdecl, from 32-bit flat code, IF=0)
; struct rmcall (64 bytes; see platform/nbp.h):
;   +0 eax +4 ebx +8 ecx +12 edx +16 esi +20 edi +24 ebp +28 eflags (out)
;   +32 ds +34 es +36 target offset +38 target segment
;   +40 kind (0 = INT, vector in target offset; 1 = far call)
;   +42 number of stack words +44 words[8] (words[0] ends up nearest the
;   return address, i.e. pushed last)
RMC_SIZE equ 64
        bits 32
rm_call:
        pushad
        mov     esi, [esp+36]
        mov     [rmc_saved_ptr], esi
        mov     edi, rmc_buf
        mov     ecx, RMC_SIZE/4
        cld
        rep movsd
        mov     [rmc_saved_esp], esp
        sidt    [rmc_saved_idtr]
        mov     [rmc_saved_fs], fs
        mov     [rmc_saved_gs], gs
        ; resolve the target: INT n -> the IVT entry
        cmp     word [rmc_buf+40], 0
        jne     .far
        movzx   eax, byte [rmc_buf+36]
        mov     eax, [eax*4]
        mov     [rmc_target], eax
        jmp     .go
.far:   mov     eax, [rmc_buf+36]
        mov     [rmc_target], eax
.go:    jmp     SEL_CODE16:.pm16
        bits 16
.pm16:  mov     ax, SEL_DATA16
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     eax, cr0
        and     al, 0xFE
        mov     cr0, eax
        jmp     0x0000:.rm
.rm:    xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     sp, RM_STACK_TOP
        lidt    [rm_idtr]
        ; stack words, last first
        mov     si, [rmc_buf+42]
.push:  test    si, si
        jz      .pushed
        dec     si
        mov     bx, si
        shl     bx, 1
        push    word [rmc_buf+44+bx]
        jmp     .push
.pushed:
        sti
        cmp     word [rmc_buf+40], 0
        jne     .regs
        pushf                       ; INT n = pushf + far call through the IVT
.regs:  push    word [rmc_buf+32]
        mov     es, [rmc_buf+34]
        mov     eax, [rmc_buf+0]
        mov     ebx, [rmc_buf+4]
        mov     ecx, [rmc_buf+8]
        mov     edx, [rmc_buf+12]
        mov     esi, [rmc_buf+16]
        mov     edi, [rmc_buf+20]
        mov     ebp, [rmc_buf+24]
        pop     ds
        call    far [cs:rmc_target]
        cli
        mov     [cs:rmc_buf+0], eax
        mov     [cs:rmc_buf+4], ebx
        mov     [cs:rmc_buf+8], ecx
        mov     [cs:rmc_buf+12], edx
        mov     [cs:rmc_buf+16], esi
        mov     [cs:rmc_buf+20], edi
        mov     [cs:rmc_buf+24], ebp
        pushfd
        pop     dword [cs:rmc_buf+28]
        mov     [cs:rmc_buf+32], ds
        mov     [cs:rmc_buf+34], es
        xor     ax, ax
        mov     ds, ax
        mov     ss, ax
        mov     sp, RM_STACK_TOP
        o32 lgdt [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     dword SEL_CODE32:.pm32
        bits 32
.pm32:  mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, [rmc_saved_fs]
        mov     gs, [rmc_saved_gs]
        mov     esp, [rmc_saved_esp]
        lidt    [rmc_saved_idtr]
        mov     esi, rmc_buf
        mov     edi, [rmc_saved_ptr]
        mov     ecx, RMC_SIZE/4
        cld
        rep movsd
        popad
        ret

; Far-called through the thunk (which enables interrupts first): waits for
; the next interrupt in real mode, where the BIOS handles it.
        bits 16
rm_idle:
        hlt
        retf

; ---- the kernel hand-off ---------------------------------------------------------
; void boot_tramp(const struct boot_copy *copies, uint32_t n, const struct boot_entry *e)
; (cdecl, 32-bit flat, from platform/boot.c; never returns). The copy list and
; the entry block are in conventional memory (boot.c put them there), so no
; copy can overwrite them, this code or its GDT: every destination is at or
; above 1 MiB. Layouts: platform/nbp.h, src/handoff-layout.ts (one test
; checks them equal).
;   boot_copy  +0 dest +4 src +8 len +12 zero (bytes zeroed after the data)
;   boot_entry +0 kind (1 = protected32, 2 = long64) +4 ip_lo +8 ip_hi
;              +12 esp +16 cr3 +20 eax +24 ebx +28 ecx +32 edx +36 esi
;              +40 edi +44 ebp
BOOT_CODE64     equ 0x08
BOOT_CODE32     equ 0x10                ; Linux's __BOOT_CS
BOOT_DATA32     equ 0x18                ; Linux's __BOOT_DS
ENTRY_WORDS     equ 12
MSR_EFER        equ 0xC0000080
EFER_LME        equ 0x100
CR4_PAE         equ 0x20
CR0_PG_PE       equ 0x80000001
        bits 32
boot_tramp:
        cli
        cld
        mov     esi, [esp+12]
        mov     edi, boot_regs
        mov     ecx, ENTRY_WORDS
        rep movsd
        mov     ebx, [esp+4]
        mov     edx, [esp+8]
        lgdt    [boot_gdtr]
        jmp     BOOT_CODE32:.flat
.flat:  mov     ax, BOOT_DATA32
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, RM_STACK_TOP
.copy:  test    edx, edx
        jz      .enter
        mov     edi, [ebx]
        mov     esi, [ebx+4]
        mov     ecx, [ebx+8]
        mov     eax, ecx
        shr     ecx, 2
        rep movsd
        mov     ecx, eax
        and     ecx, 3
        rep movsb
        mov     ecx, [ebx+12]
        xor     eax, eax
        rep stosb
        add     ebx, 16
        dec     edx
        jmp     .copy
.enter: cmp     dword [boot_regs], 2
        je      .long
        mov     esp, [boot_regs+12]
        mov     eax, [boot_regs+20]
        mov     ebx, [boot_regs+24]
        mov     ecx, [boot_regs+28]
        mov     edx, [boot_regs+32]
        mov     esi, [boot_regs+36]
        mov     edi, [boot_regs+40]
        mov     ebp, [boot_regs+44]
        jmp     [boot_regs+4]
.long:  ; as FreeBSD's amd64_tramp.S: PAE, CR3, EFER.LME, paging, far jump to 64-bit code
        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax
        mov     eax, [boot_regs+16]
        mov     cr3, eax
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_LME
        wrmsr
        mov     eax, cr0
        or      eax, CR0_PG_PE
        mov     cr0, eax
        jmp     BOOT_CODE64:.l64
        bits 64
.l64:   mov     esp, [abs boot_regs+12]     ; RSP = esp, zero-extended
        mov     eax, [abs boot_regs+20]
        mov     ebx, [abs boot_regs+24]
        mov     ecx, [abs boot_regs+28]
        mov     edx, [abs boot_regs+32]
        mov     esi, [abs boot_regs+36]
        mov     edi, [abs boot_regs+40]
        mov     ebp, [abs boot_regs+44]
        jmp     [abs boot_regs+4]           ; ip_lo, ip_hi: the 64-bit RIP
        bits 32

align 8
boot_gdt:
        dq 0
        dq 0x00AF9A000000FFFF       ; 08: code64
        dq 0x00CF9A000000FFFF       ; 10: code32, flat
        dq 0x00CF92000000FFFF       ; 18: data32, flat
boot_gdt_end:
boot_gdtr:
        dw boot_gdt_end - boot_gdt - 1
        dd boot_gdt

align 16
stub_resident_end:
stub_end:
        times -((stub_end - start) + 0x7C00 > RMC_DATA) db 0 ; an error if the stub reaches RMC_DATA

; The thunk's variables (not in the file: conventional memory past the
; stub is free once the engine and loader are decompressed).
        absolute RMC_DATA
rmc_saved_ptr:  resd 1
rmc_saved_esp:  resd 1
rmc_target:     resd 1
rmc_saved_fs:   resw 1
rmc_saved_gs:   resw 1
rmc_saved_idtr: resw 3
        alignb 16
rmc_buf:        resb RMC_SIZE
        alignb 16
boot_regs:      resd ENTRY_WORDS    ; the entry block, copied by boot_tramp
        alignb 16
rmc_data_end:
