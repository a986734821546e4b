import VigilCore

/// An alert's state as the API and notifications name it.
public enum AlertState: String, Sendable, Comparable {
    case inactive, pending, firing

    private var rank: Int {
        switch self {
        case .inactive: 0
        case .pending: 1
        case .firing: 2
        }
    }

    public static func < (lhs: AlertState, rhs: AlertState) -> Bool { lhs.rank < rhs.rank }
}

/// One alert of an alerting rule: what `/api/v1/alerts` shows and what the notifier receives.
public struct RuleAlert: Sendable, Equatable {
    /// Series labels without `__name__`, plus rule labels and `alertname`.
    public var labels: Labels
    /// Annotations rendered at the last evaluation.
    public var annotations: Labels
    /// `inactive` means resolved.
    public var state: AlertState
    /// The expression's value at the last evaluation.
    public var value: Double
    /// When the alert became pending (ms).
    public var activeAt: Int64
    /// When it started firing (ms); the notification's `startsAt`.
    public var firedAt: Int64?
    /// When it resolved (ms).
    public var resolvedAt: Int64?
    /// Since when `keep_firing_for` has kept it firing (ms).
    public var keepFiringSince: Int64?
    /// When the last notification was sent (ms).
    public var lastSentAt: Int64?
    /// Until when the last notification is valid (ms), 4 resend periods after it was sent.
    public var validUntil: Int64?
    /// A link back to the rule's expression.
    public var generatorURL: String

    public init(labels: Labels, annotations: Labels, state: AlertState, value: Double, activeAt: Int64,
                firedAt: Int64? = nil, resolvedAt: Int64? = nil, keepFiringSince: Int64? = nil,
                lastSentAt: Int64? = nil, validUntil: Int64? = nil, generatorURL: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.keepFiringSince = keepFiringSince
        self.lastSentAt = lastSentAt
        self.validUntil = validUntil
        self.generatorURL = generatorURL
    }

    /// The notification's `startsAt`: when it fired (or became active).
    public var startsAt: Int64 { firedAt ?? activeAt }

    /// The notification's `endsAt`: the resolve time, else the validity of the last send.
    public var endsAt: Int64? { resolvedAt ?? validUntil }

    public static func == (lhs: RuleAlert, rhs: RuleAlert) -> Bool {
        lhs.labels == rhs.labels && lhs.annotations == rhs.annotations && lhs.state == rhs.state
            && lhs.value.bitPattern == rhs.value.bitPattern && lhs.activeAt == rhs.activeAt
            && lhs.firedAt == rhs.firedAt && lhs.resolvedAt == rhs.resolvedAt
            && lhs.keepFiringSince == rhs.keepFiringSince && lhs.lastSentAt == rhs.lastSentAt
            && lhs.validUntil == rhs.validUntil && lhs.generatorURL == rhs.generatorURL
    }
}
