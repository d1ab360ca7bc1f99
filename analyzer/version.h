/* version.h - the program version (kept equal to meson's project version). */
#ifndef RCCHECK_VERSION_H
#define RCCHECK_VERSION_H
#define RCCHECK_VERSION "0.1.0"
#endif
