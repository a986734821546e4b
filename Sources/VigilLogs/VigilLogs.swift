// VigilLogs: template mining, log-derived series, failure classification, summaries.
