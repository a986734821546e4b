/// The keys Prometheus 2.42–3.x and Vigil know in each section, for strict parsing: a key in neither is an error.
enum ConfigKeys {
    static let topLevel: Set<String> = [
        // Prometheus
        "global", "runtime", "alerting", "rule_files", "scrape_config_files", "scrape_configs", "storage", "tracing",
        "remote_write", "remote_read", "otlp",
        // Vigil
        "query", "collectors", "rule_packs", "logs", "anomaly", "notify", "remediation",
    ]

    static let global: Set<String> = [
        "scrape_interval", "scrape_timeout", "scrape_protocols", "evaluation_interval", "rule_query_offset",
        "external_labels", "query_log_file", "scrape_failure_log_file", "body_size_limit", "sample_limit",
        "target_limit", "label_limit", "label_name_length_limit", "label_value_length_limit",
        "keep_dropped_targets", "metric_name_validation_scheme", "metric_name_escaping_scheme",
        "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb", "scrape_native_histograms",
        "extra_scrape_metrics",
    ]

    static let runtime: Set<String> = ["gogc"]

    static let storage: Set<String> = [
        "retention", "retention_size", "wal_sync", "out_of_order_window", "downsample", "tsdb", "exemplars",
    ]
    static let tsdb: Set<String> = ["out_of_order_time_window", "out_of_order_cap", "retention"]
    static let tsdbRetention: Set<String> = ["time", "size"]
    static let exemplars: Set<String> = ["max_exemplars"]

    static let query: Set<String> = ["max_samples", "timeout", "lookback_delta"]
    static let collectors: Set<String> = ["host", "gpu"]
    static let collector: Set<String> = ["enabled", "job", "interval"]

    static let tracing: Set<String> = [
        "client_type", "endpoint", "sampling_fraction", "insecure", "timeout", "compression", "headers", "tls_config",
    ]
    static let otlp: Set<String> = [
        "promote_resource_attributes", "translation_strategy", "keep_identifying_resource_attributes",
        "convert_histograms_to_nhcb", "promote_all_resource_attributes", "ignore_resource_attributes",
        "promote_scope_metadata",
    ]

    /// Prometheus's common HTTP client keys, shared by remote write/read and Alertmanager configs.
    static let httpClient: Set<String> = [
        "basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config", "proxy_url",
        "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2",
        "http_headers",
    ]

    static let alerting: Set<String> = ["alert_relabel_configs", "alertmanagers"]
    static let alertmanager: Set<String> = httpClient.union([
        "api_version", "path_prefix", "scheme", "timeout", "static_configs", "relabel_configs",
        "alert_relabel_configs", "sigv4",
    ])

    static let remoteWrite: Set<String> = httpClient.union([
        "url", "remote_timeout", "headers", "write_relabel_configs", "name", "send_exemplars",
        "send_native_histograms", "queue_config", "metadata_config", "protobuf_message", "round_robin_dns",
        "sigv4", "azuread", "google_iam",
    ])
    static let remoteRead: Set<String> = httpClient.union([
        "url", "name", "remote_timeout", "headers", "read_recent", "required_matchers", "filter_external_labels",
    ])
}
