/// The keys of Alertmanager's configuration that Vigil knows, and which of them it implements.
enum NotifyKeys {
    static let topLevel: Set<String> = [
        "global", "route", "receivers", "inhibit_rules", "time_intervals", "mute_time_intervals", "templates",
        "tracing",
    ]

    /// `global` keys; only `resolve_timeout` and `http_config` are used so far.
    static let global: Set<String> = [
        "resolve_timeout", "http_config",
        "smtp_from", "smtp_hello", "smtp_smarthost", "smtp_auth_username", "smtp_auth_password",
        "smtp_auth_password_file", "smtp_auth_secret", "smtp_auth_secret_file", "smtp_auth_identity",
        "smtp_require_tls", "smtp_tls_config", "smtp_force_implicit_tls",
        "slack_api_url", "slack_api_url_file", "slack_app_token", "slack_app_token_file", "slack_app_url",
        "pagerduty_url", "opsgenie_api_url", "opsgenie_api_key", "opsgenie_api_key_file",
        "wechat_api_url", "wechat_api_secret", "wechat_api_secret_file", "wechat_api_corp_id",
        "victorops_api_url", "victorops_api_key", "victorops_api_key_file",
        "telegram_api_url", "telegram_bot_token", "telegram_bot_token_file", "webex_api_url",
        "rocketchat_api_url", "rocketchat_token", "rocketchat_token_file", "rocketchat_token_id",
        "rocketchat_token_id_file", "jira_api_url", "mattermost_webhook_url", "mattermost_webhook_url_file",
    ]
    static let globalImplemented: Set<String> = ["resolve_timeout", "http_config"]

    static let route: Set<String> = [
        "receiver", "group_by", "match", "match_re", "matchers", "mute_time_intervals", "active_time_intervals",
        "continue", "routes", "group_wait", "group_interval", "repeat_interval", "labels",
    ]

    /// Integration kinds of a receiver (`<kind>_configs`).
    static let receiverKinds: Set<String> = [
        "discord_configs", "email_configs", "incidentio_configs", "pagerduty_configs", "slack_configs",
        "webhook_configs", "opsgenie_configs", "wechat_configs", "pushover_configs", "victorops_configs",
        "sns_configs", "telegram_configs", "webex_configs", "msteams_configs", "msteamsv2_configs",
        "jira_configs", "rocketchat_configs", "mattermost_configs",
    ]

    static let webhook: Set<String> = ["send_resolved", "http_config", "url", "url_file", "max_alerts", "timeout"]

    /// Prometheus's `HTTPClientConfig` keys.
    static let httpConfig: Set<String> = [
        "authorization", "basic_auth", "bearer_token", "bearer_token_file", "oauth2", "tls_config", "proxy_url",
        "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2",
        "http_headers",
    ]
    static let httpConfigImplemented: Set<String> = [
        "authorization", "basic_auth", "bearer_token", "bearer_token_file", "follow_redirects", "enable_http2",
    ]
    static let basicAuth: Set<String> = ["username", "username_file", "password", "password_file"]
    static let authorization: Set<String> = ["type", "credentials", "credentials_file"]

    static let inhibitRule: Set<String> = [
        "name", "source_match", "source_match_re", "source_matchers", "target_match", "target_match_re",
        "target_matchers", "equal",
    ]
    static let timeInterval: Set<String> = ["name", "time_intervals"]
    static let timeIntervalSpec: Set<String> = [
        "times", "weekdays", "days_of_month", "months", "years", "location",
    ]
}
