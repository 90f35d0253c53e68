/* ProcessPrng for Wine 8 (Debian 12), which lacks bcryptprimitives.dll.
 *
 * Rust's standard library (1.78 and later) draws its random numbers, e.g.
 * HashMap keys, from bcryptprimitives.dll!ProcessPrng, which Windows 10 and
 * 11 ship; Wine added it in version 9. Without it, Wine 8's loader refuses
 * fiches.exe (STATUS_DLL_NOT_FOUND, exit code 53) before any of its code
 * runs. tests/release.rs builds this file with MinGW into the test's own
 * Wine prefix only: it is never shipped, and a real Windows never sees it. */
#include <windows.h>

/* RtlGenRandom, from advapi32, which Wine 8 has. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE module, DWORD reason, LPVOID reserved) {
  (void)module;
  (void)reason;
  (void)reserved;
  return TRUE;
}
