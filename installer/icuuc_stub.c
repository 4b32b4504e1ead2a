/* icuuc.dll stand-in, used ONLY inside the wine build prefix (never shipped).
 *
 * Qt6Core imports 20 ucnv_* functions from Windows 10 1903+'s system icuuc.dll, which
 * wine 8.0 lacks; without it `import PySide6.QtCore` fails under wine. Every converter
 * reports "not available", so Qt falls back to its built-in codecs. Real Windows has the
 * real DLL, and PyInstaller treats it as a system DLL, so it never enters the bundle.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -s -o icuuc.dll icuuc_stub.c
 */
#define API __declspec(dllexport)
typedef int UErrorCode;
typedef void UConverter;
API UConverter *ucnv_open(const char *n, UErrorCode *e) { (void)n; if (e) *e = 4; return 0; }
API void ucnv_close(UConverter *c) { (void)c; }
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
API void ucnv_reset(UConverter *c) { (void)c; }
API signed char ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 4; }
API const char *ucnv_getName(const UConverter *c, UErrorCode *e) { (void)c; (void)e; return ""; }
API void ucnv_getToUCallBack(void) {}
API void ucnv_getFromUCallBack(void) {}
API void ucnv_setToUCallBack(void) {}
API void ucnv_setFromUCallBack(void) {}
API void ucnv_cbToUWriteUChars(void) {}
API void ucnv_toUnicode(void) {}
API void ucnv_cbFromUWriteUChars(void) {}
API void ucnv_fromUnicode(void) {}
API int ucnv_toUCountPending(const UConverter *c, UErrorCode *e) { (void)c; (void)e; return 0; }
API int ucnv_fromUCountPending(const UConverter *c, UErrorCode *e) { (void)c; (void)e; return 0; }
API const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { (void)n; (void)s; (void)e; return 0; }
API const char *ucnv_getAvailableName(int i) { (void)i; return 0; }
API int ucnv_countAvailable(void) { return 0; }
