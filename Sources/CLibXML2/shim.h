#ifndef KHABAR_CLIBXML2_SHIM_H
#define KHABAR_CLIBXML2_SHIM_H

/* Debian builds libxml2 with ICU; its headers then pull in ICU types that clash with
   Foundation's own copy ("'UErrorCode' has different definitions in different modules"),
   but only on a clean build. Khabar never uses libxml2's ICU encoding path, so switch it off
   before any other libxml2 header is read. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/encoding.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlreader.h>

/* xmlFree is a global function pointer, which strict concurrency refuses to read from Swift. */
static inline void khabar_xml_free(void *p) { xmlFree(p); }

/* libxml2 prints some errors (input encoding conversion) through its generic error handler even
   with HTML_PARSE_NOERROR. The handlers are per thread: install a silent one before each parse. */
static void khabar_xml_silent_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void khabar_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, khabar_xml_silent_error);
}

#endif
