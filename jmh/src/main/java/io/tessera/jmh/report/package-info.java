/**
 * Turns JMH's JSON results ({@code bench-results.json}) into the markdown table of Tessera figures,
 * each beside the baselines measured in the same run, paired by method name (see {@link io.tessera.jmh.report.Pairing}).
 */
package io.tessera.jmh.report;
