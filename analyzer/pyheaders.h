/*
 * pyheaders.h - Python's headers for files that include Python.h when nothing else says where
 * they are (docs/analyzer.md, "Python headers"): found with python3-config / sysconfig, and
 * failing that a small built-in stand-in so the analysis goes on with the names rccheck knows
 * (and says it is degraded).
 */
#ifndef RCCHECK_PYHEADERS_H
#define RCCHECK_PYHEADERS_H

#endif
