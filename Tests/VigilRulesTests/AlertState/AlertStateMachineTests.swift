import Testing

@testable import VigilRules

private let minute: Int64 = 60_000

/// One event of a table test: present or absent at a minute, and the action and state expected after it.
private struct Step: Sendable, CustomStringConvertible {
    var at: Int64
    var present: Bool
    var action: AlertStateMachine.Action
    var state: AlertStateMachine.State
    var description: String { "\(present ? "present" : "absent") at \(at / minute)m" }
}

private func run(_ steps: [Step], hold: Int64, keepFiringFor: Int64 = 0,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    var m = AlertStateMachine(activeAt: steps[0].at)
    for s in steps {
        let a = s.present ? m.present(at: s.at, holdDuration: hold)
            : m.absent(at: s.at, keepFiringFor: keepFiringFor, retention: 15 * minute)
        #expect(a == s.action, "\(s)", sourceLocation: sourceLocation)
        #expect(m.state == s.state, "\(s)", sourceLocation: sourceLocation)
    }
}

// Expected transitions follow Prometheus's rules/alerting.go Eval, worked by hand.
@Suite struct AlertStateMachineTests {
    @Test func pendingFiresAfterHoldAndResolves() {
        run([
            Step(at: 0, present: true, action: .none, state: .pending(activeAt: 0)),
            Step(at: 4 * minute, present: true, action: .none, state: .pending(activeAt: 0)),
            Step(at: 5 * minute, present: true, action: .fire,
                 state: .firing(activeAt: 0, firedAt: 5 * minute, keepFiringSince: nil)),
            Step(at: 6 * minute, present: true, action: .none,
                 state: .firing(activeAt: 0, firedAt: 5 * minute, keepFiringSince: nil)),
            Step(at: 7 * minute, present: false, action: .resolve,
                 state: .resolved(activeAt: 0, firedAt: 5 * minute, resolvedAt: 7 * minute)),
            Step(at: 22 * minute, present: false, action: .none,
                 state: .resolved(activeAt: 0, firedAt: 5 * minute, resolvedAt: 7 * minute)),
            Step(at: 23 * minute, present: false, action: .remove,
                 state: .resolved(activeAt: 0, firedAt: 5 * minute, resolvedAt: 7 * minute)),
        ], hold: 5 * minute)
    }

    @Test func zeroHoldFiresAtOnce() {
        run([Step(at: 0, present: true, action: .fire, state: .firing(activeAt: 0, firedAt: 0, keepFiringSince: nil))],
            hold: 0)
    }

    @Test func pendingThatClearsIsForgotten() {
        run([
            Step(at: 0, present: true, action: .none, state: .pending(activeAt: 0)),
            Step(at: minute, present: false, action: .remove, state: .pending(activeAt: 0)),
        ], hold: 5 * minute)
    }

    @Test func keepFiringForHoldsAFiringAlert() {
        let firing = { (since: Int64?) in
            AlertStateMachine.State.firing(activeAt: 0, firedAt: 0, keepFiringSince: since)
        }
        run([
            Step(at: 0, present: true, action: .fire, state: firing(nil)),
            Step(at: 10 * minute, present: false, action: .keepFiring, state: firing(10 * minute)),
            Step(at: 11 * minute, present: true, action: .none, state: firing(nil)),
            Step(at: 12 * minute, present: false, action: .keepFiring, state: firing(12 * minute)),
            Step(at: 13 * minute, present: false, action: .keepFiring, state: firing(12 * minute)),
            Step(at: 14 * minute, present: false, action: .resolve,
                 state: .resolved(activeAt: 0, firedAt: 0, resolvedAt: 14 * minute)),
        ], hold: 0, keepFiringFor: 2 * minute)
    }

    @Test func resolvedAlertThatReturnsStartsOver() {
        run([
            Step(at: 0, present: true, action: .none, state: .pending(activeAt: 0)),
            Step(at: minute, present: true, action: .fire,
                 state: .firing(activeAt: 0, firedAt: minute, keepFiringSince: nil)),
            Step(at: 2 * minute, present: false, action: .resolve,
                 state: .resolved(activeAt: 0, firedAt: minute, resolvedAt: 2 * minute)),
            Step(at: 3 * minute, present: true, action: .startPending, state: .pending(activeAt: 3 * minute)),
        ], hold: minute)
    }
}
