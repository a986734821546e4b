import Foundation
import Testing
import VigilLogs
import VigilTesting

/// Exact-signature failure rules.
struct FailureClassifierTests {
    @Test(
        "case C20: two Xid 31 events on PCI 0000:3b:00, the other lines are not Xid events",
        .enabled(if: SharedFixtures.available, "needs ../shared/cases"))
    func caseC20() throws {
        let file = try #require(SharedFixtures.path("cases/C20/kern.log"), "needs ../shared")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let classifier = FailureClassifier()
        let events = lines.compactMap { classifier.classify($0) }.filter { $0.kind == .gpuXid }
        #expect(events.count == 2)
        #expect(events.map { $0.fields["xid"] } == ["31", "31"])
        #expect(events.map { $0.fields["pci_bus_id"] } == ["0000:3b:00", "0000:3b:00"])
        #expect(events.map { $0.fields["pid"] } == ["4242", "4390"])
        #expect(events[0].summary == "GPU at PCI 0000:3b:00 reported Xid 31, MMU fault, typically an application fault")
        #expect(!FailureKind.xidNeedsDrain(31))
        #expect(FailureKind.xidNeedsDrain(79))
    }

    @Test("catalogue signatures from the reference shapes")
    func signatures() {
        let c = FailureClassifier()
        #expect(c.classify("Out of memory: Killed process 4242 (python3) total-vm:100kB")?.fields
            == ["pid": "4242", "process": "python3"])
        #expect(c.classify("[Rank 3] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1, "
            + "OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=600000) ran for 600010 milliseconds")?.fields
            == ["rank": "3", "op": "ALLREDUCE", "timeout_ms": "600000"])
        #expect(c.classify("Loss is nan, stopping training")?.kind == .nonFiniteLoss)
        #expect(c.classify("OSError: [Errno 28] No space left on device: '/ckpt/x.pt'")?.fields["path"] == "/ckpt/x.pt")
        #expect(c.classify("python3[77]: segfault at 0 ip 00 sp 00 error 4 in libc.so")?.kind == .segfault)
        #expect(c.classify("all good, step 10 done") == nil)
    }
}

/// The learned layer of the failure classifier.
struct LearnedFailureClassifierTests {
    @Test("lines outside the rules and the corpus are recognised by the learned layer with a confidence below 1")
    func learned() throws {
        let c = FailureClassifier()
        let oom = try #require(c.classify("ValueError: not enough gpu memory to allocate the kv cache blocks"))
        #expect(oom.kind == .cudaOOM)
        #expect(oom.confidence < 1 && oom.confidence >= 0.9)
        let pre = try #require(c.classify("job 77 was preempted by the scheduler and will be requeued"))
        #expect(pre.kind == .preemption)
        #expect(pre.fields["job"] == "77")
        let ckpt = try #require(c.classify("failed to save checkpoint shard 3 to s3"))
        #expect(ckpt.kind == .checkpointWriteFailed)
        #expect(c.classify("checkpoint saved to /data/step_10.pt in 3 s") == nil)
        #expect(c.classify("epoch 2 finished, eval loss 0.42") == nil)
    }
}

/// The learned layer judged on lines it did not train on.
struct NaiveBayesLeaveOneOutTests {
    @Test("leave-one-out over the embedded corpus: most failure lines get their kind back")
    func leaveOneOut() {
        let examples = FailureCorpusAccess.examples
        var right = 0
        var failures = 0
        for i in examples.indices where examples[i].label != "NONE" {
            failures += 1
            var rest = examples
            rest.remove(at: i)
            let model = FailureClassifier.trainLearned(on: rest)
            if model(examples[i].line) == examples[i].label { right += 1 }
        }
        print("leave-one-out: \(right) of \(failures) failure lines")
        // No-regression bound: 100 of 116 when this corpus was written.
        #expect(Double(right) >= 0.8 * Double(failures))
    }
}
