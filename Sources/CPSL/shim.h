#ifndef KHABAR_CPSL_SHIM_H
#define KHABAR_CPSL_SHIM_H

/* libpsl: the Public Suffix List, for the registrable domain (eTLD+1) of a host.
   Khabar uses only the list compiled into the library (psl_builtin), so looking a domain up
   never reads a file. */
#include <libpsl.h>

#endif
