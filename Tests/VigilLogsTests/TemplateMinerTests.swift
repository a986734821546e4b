import Foundation
import Testing
import VigilLogs
import VigilTesting

/// The online template miner and its masking.
struct TemplateMinerTests {
    private func masked(_ line: String) -> String {
        LogTokenizer().tokens(Array(line.utf8)).map { tok in
            String(decoding: tok.flatMap { $0 == 0 ? Array("<*>".utf8) : [$0] }, as: UTF8.self)
        }.joined(separator: " ")
    }

    @Test("masking replaces numbers, IPs, hex, UUIDs, paths and durations")
    func masking() {
        #expect(masked("PacketResponder 1 for block blk_-6952295868487656571 terminating")
            == "PacketResponder <*> for block <*> terminating")
        #expect(masked("from /10.251.43.21:50010 took 250ms") == "from <*>:<*> took <*>")
        #expect(masked("ptr 0x7f3a at 550e8400-e29b-41d4-a716-446655440000") == "ptr <*> at <*>")
        #expect(masked("open /var/log/syslog failed") == "open <*> failed")
        #expect(masked("generating core.1234 jk2_init() node-12") == "generating core.<*> jk2_init() node-<*>")
        #expect(masked("  user=root uid=0\r\n") == "user=root uid=<*>")
    }

    @Test(
        "case C15: training and matching share one normalisation",
        .enabled(if: SharedFixtures.available, "needs ../shared/cases"))
    func caseC15() throws {
        let dir = try #require(SharedFixtures.path("cases/C15"), "needs ../shared")
        var miner = TemplateMiner()
        let train = try String(contentsOf: dir.appendingPathComponent("train.log"), encoding: .utf8)
        for line in train.split(separator: "\n") { miner.learn(String(line)) }
        #expect(miner.templates == [LogTemplate(id: "1", template: "user <*> logged in", count: 2)])

        let withNewline = try String(
            contentsOf: dir.appendingPathComponent("match_input_with_newline.txt"), encoding: .utf8)
        let a = try #require(miner.match(withNewline))
        #expect(a.templateID == "1")
        #expect(a.parameters == ["carol"])
        let withSpaces = try String(
            contentsOf: dir.appendingPathComponent("match_input_with_spaces.txt"), encoding: .utf8)
        let b = try #require(miner.match(withSpaces))
        #expect(b.templateID == "1")
        #expect(b.parameters == ["dave"])
        #expect(miner.templates == [LogTemplate(id: "1", template: "user <*> logged in", count: 2)])
    }

    @Test("templates generalise as the miner learns and early lines report the final template")
    func generalises() {
        var miner = TemplateMiner()
        let a = miner.learn("connected to alpha in zone eu")
        let b = miner.learn("connected to beta in zone eu")
        #expect(a == b)
        #expect(miner.template(ofCluster: a) == "connected to <*> in zone eu")
        let c = miner.learn("disk full on sda")
        #expect(miner.templateID(ofCluster: c) == "2")
        #expect(miner.templateCount == 2)
    }

    @Test("binary garbage, invalid UTF-8 and a 1 MB line do not crash")
    func badInput() {
        var miner = TemplateMiner()
        var garbage: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<10_000 {
            x = x &* 1_103_515_245 &+ 12345
            garbage.append(UInt8(truncatingIfNeeded: x >> 16))
        }
        miner.learn(garbage)
        miner.learn([0xff, 0xfe, 0x00, 0xc3])
        miner.learn(Array(repeating: UInt8(ascii: "a"), count: 1 << 20))
        miner.learn([])
        #expect(miner.templateCount >= 3)
    }
}

/// Saved template state.
struct TemplateMinerPersistenceTests {
    @Test("a restored miner keeps ids, templates and sizes, and goes on learning into them")
    func roundTrip() throws {
        var miner = TemplateMiner()
        for line in ["user alice logged in", "user bob logged in", "disk sda full", "disk sdb full", "x=1 y=2"] {
            miner.learn(line)
        }
        var restored = try TemplateMiner(decoding: miner.encoded())
        #expect(restored.templates == miner.templates)
        let c = restored.learn("user carol logged in")
        #expect(restored.templateID(ofCluster: c) == "1")
        #expect(restored.size(ofCluster: c) == 3)
        #expect(throws: LogsError.self) { try TemplateMiner(decoding: Array("nonsense".utf8)) }
    }
}
