import Testing
import VigilCore
@testable import VigilCollect

/// `collectors.host` parsing.
struct HostCollectorConfigurationTests {
    private func parse(_ yaml: String, defaultInterval: Int64 = 15_000) throws(ConfigError)
        -> HostCollector.Configuration
    {
        let root = try YAMLParser.parse(yaml, file: "vigil.yml")
        return try HostCollector.Configuration.parse(root["collectors"]?["host"], reader: YAMLReader(file: "vigil.yml"),
                                                     defaultInterval: defaultInterval)
    }

    @Test func absentSectionGivesDefaults() throws {
        let c = try parse("global: {}\n", defaultInterval: 30_000)
        #expect(c.enabled)
        #expect(c.interval == 30_000)
        #expect(c.job == "host")
        #expect(c.instance == nil)
        #expect(c.procPath == "/proc" && c.sysPath == "/sys" && c.rootfsPath == "/")
        #expect(c.excludeMountPoints == FilesystemCollector.defaultExcludeMountPoints)
    }

    @Test func readsEveryKey() throws {
        let c = try parse("""
            collectors:
              host:
                enabled: false
                interval: 5s
                job: node
                instance: web-1
                exclude_mountpoints: "^/boot"
                exclude_disks: ""
                disabled: [timex, os]
                proc_path: /host/proc
            """)
        #expect(!c.enabled)
        #expect(c.interval == 5_000)
        #expect(c.job == "node")
        #expect(c.instance == "web-1")
        #expect(c.excludeMountPoints == "^/boot")
        #expect(c.excludeDisks == "")
        #expect(c.disabledFamilies == ["timex", "os"])
        #expect(c.procPath == "/host/proc")
    }

    @Test(arguments: [
        ("collectors:\n  host:\n    interval: 5x\n", "vigil.yml:3:15", "not a valid duration"),
        ("collectors:\n  host:\n    enabled: maybe\n", "vigil.yml:3:14", "into bool"),
        ("collectors:\n  host:\n    colour: red\n", "vigil.yml:3:5", "field colour not found"),
        ("collectors:\n  host:\n    exclude_mountpoints: \"(\"\n", "vigil.yml:3:26", "invalid regular expression"),
        ("collectors:\n  host:\n    disabled: [gpu]\n", "vigil.yml:3:16", "unknown host collector \"gpu\""),
        ("collectors:\n  host:\n    job: \"\"\n", "vigil.yml:3:10", "must not be empty"),
    ])
    func badValuesNameFileLineAndColumn(yaml: String, position: String, message: String) {
        do {
            _ = try parse(yaml)
            Issue.record("expected an error for \(yaml)")
        } catch {
            #expect(error.description.contains(position), "\(error.description)")
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
