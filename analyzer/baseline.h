/*
 * baseline.h - --baseline FILE: findings already present in an earlier JSON report are not
 * reported again (docs/analyzer.md, "Baseline").
 */
#ifndef RCCHECK_BASELINE_H
#define RCCHECK_BASELINE_H

#endif
