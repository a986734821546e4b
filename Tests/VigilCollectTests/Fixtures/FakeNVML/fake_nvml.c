/*
 * A fake libnvidia-ml for Vigil's GPU collector tests: the NVML entry points the collector resolves, answering for
 * simulated GPUs. Built by the tests with `cc -shared -fPIC` and loaded through the collector's own dlopen path.
 *
 * Profile A (even indexes, GPU 0): busy and healthy, two active NVLinks.
 * Profile B (odd indexes, GPU 1): idle, thermally throttled, ECC errors, retired pages, remapped rows, no NVLink,
 * and one Xid 79 event queued as soon as Xid events are registered.
 *
 * Build flags: -DFAKE_GPU_COUNT=n (default 2), -DFAKE_NVML_OLD_NAMES (only the pre-rename symbols: ...Throttle...,
 * PciInfo_v2, MemoryInfo v1, ComputeRunningProcesses_v2, EventSetWait), -DFAKE_NVML_INIT_FAILS (nvmlInit_v2 answers
 * NVML_ERROR_DRIVER_NOT_LOADED). The test hooks fake_nvml_inject_xid, fake_nvml_set_lost and
 * fake_nvml_set_temperature change state.
 */
#include <stdio.h>
#include <string.h>

#ifndef FAKE_GPU_COUNT
#define FAKE_GPU_COUNT 2
#endif

typedef unsigned int ret_t;
enum {
    OK = 0, E_UNINIT = 1, E_INVALID = 2, E_NOT_SUPPORTED = 3, E_DRIVER = 9, E_TIMEOUT = 10, E_INSUFFICIENT = 7, E_GPU_LOST = 15
};

typedef struct fake_gpu { unsigned index; } fake_gpu;
typedef struct fake_set { int registered; } fake_set;

static fake_gpu gpus[FAKE_GPU_COUNT];
static int initialized;
static fake_set the_set;
static struct { unsigned gpu; unsigned long long xid; } queue[64];
static int queue_len;
static unsigned temperature_override[FAKE_GPU_COUNT];
static int lost[FAKE_GPU_COUNT];

#define DEV(d) ((fake_gpu *)(d))
#define CHECK(d) do { \
        if (!initialized) return E_UNINIT; \
        if (!(d)) return E_INVALID; \
        if (lost[DEV(d)->index]) return E_GPU_LOST; \
    } while (0)
#define B(d) (DEV(d)->index % 2 == 1)

ret_t nvmlInit_v2(void) {
#ifdef FAKE_NVML_INIT_FAILS
    return E_DRIVER;
#endif
    for (unsigned i = 0; i < FAKE_GPU_COUNT; i++) gpus[i].index = i;
    initialized = 1;
    return OK;
}
ret_t nvmlShutdown(void) { initialized = 0; return OK; }

const char *nvmlErrorString(ret_t r) {
    switch (r) {
    case OK: return "Success";
    case E_UNINIT: return "Uninitialized";
    case E_INVALID: return "Invalid Argument";
    case E_NOT_SUPPORTED: return "Not Supported";
    case E_DRIVER: return "Driver Not Loaded";
    case E_TIMEOUT: return "Timeout";
    default: return "Unknown Error";
    }
}

ret_t nvmlSystemGetDriverVersion(char *v, unsigned n) { snprintf(v, n, "%s", "550.54.15"); return OK; }
ret_t nvmlDeviceGetCount_v2(unsigned *n) { if (!initialized) return E_UNINIT; *n = FAKE_GPU_COUNT; return OK; }
ret_t nvmlDeviceGetHandleByIndex_v2(unsigned i, void **d) {
    if (!initialized) return E_UNINIT;
    if (i >= FAKE_GPU_COUNT) return E_INVALID;
    *d = &gpus[i];
    return OK;
}

ret_t nvmlDeviceGetName(void *d, char *s, unsigned n) { CHECK(d); snprintf(s, n, "NVIDIA A100-SXM4-80GB"); return OK; }
ret_t nvmlDeviceGetUUID(void *d, char *s, unsigned n) {
    CHECK(d);
    snprintf(s, n, "GPU-%08x-1111-2222-3333-44445555%04x", 0xabcd0000u + DEV(d)->index, DEV(d)->index);
    return OK;
}
ret_t nvmlDeviceGetMinorNumber(void *d, unsigned *m) { CHECK(d); *m = DEV(d)->index; return OK; }

/* nvmlPciInfo_t (v2/v3 layout): busIdLegacy[16], domain, bus, device, pciDeviceId, pciSubSystemId, busId[32]. */
static void fill_pci(void *d, unsigned char *p) {
    memset(p, 0, 68);
    unsigned bus = 0x07 + 8 * DEV(d)->index;
    snprintf((char *)p, 16, "0000:%02X:00.0", bus);
    unsigned fields[5] = {0, bus, 0, 0x20b210de, 0x134f10de};
    memcpy(p + 16, fields, sizeof fields);
    snprintf((char *)p + 36, 32, "00000000:%02X:00.0", bus);
}
#ifdef FAKE_NVML_OLD_NAMES
ret_t nvmlDeviceGetPciInfo_v2(void *d, void *p) { CHECK(d); fill_pci(d, p); return OK; }
#else
ret_t nvmlDeviceGetPciInfo_v3(void *d, void *p) { CHECK(d); fill_pci(d, p); return OK; }
#endif

ret_t nvmlDeviceGetUtilizationRates(void *d, unsigned *u) {
    CHECK(d);
    u[0] = B(d) ? 3 : 87;
    u[1] = B(d) ? 1 : 45;
    return OK;
}

#define MIB (1024ull * 1024ull)
/* v1: total, free, used (used includes the reserved memory). */
ret_t nvmlDeviceGetMemoryInfo(void *d, unsigned long long *m) {
    CHECK(d);
    unsigned long long used = (B(d) ? 1024 : 40000) * MIB + 512 * MIB;
    m[0] = 81920 * MIB;
    m[1] = m[0] - used;
    m[2] = used;
    return OK;
}
#ifndef FAKE_NVML_OLD_NAMES
/* v2: version, total, reserved, free, used. */
ret_t nvmlDeviceGetMemoryInfo_v2(void *d, unsigned long long *m) {
    CHECK(d);
    if ((unsigned)m[0] != (40u | (2u << 24))) return 25; /* NVML_ERROR_ARGUMENT_VERSION_MISMATCH */
    m[1] = 81920 * MIB;
    m[2] = 512 * MIB;
    m[4] = (B(d) ? 1024 : 40000) * MIB;
    m[3] = m[1] - m[2] - m[4];
    return OK;
}
#endif

ret_t nvmlDeviceGetTemperature(void *d, unsigned sensor, unsigned *t) {
    CHECK(d);
    if (sensor != 0) return E_INVALID;
    *t = temperature_override[DEV(d)->index] ? temperature_override[DEV(d)->index] : (B(d) ? 92 : 65);
    return OK;
}
ret_t nvmlDeviceGetPowerUsage(void *d, unsigned *mw) { CHECK(d); *mw = B(d) ? 250000 : 312500; return OK; }
ret_t nvmlDeviceGetPowerManagementLimit(void *d, unsigned *mw) { CHECK(d); *mw = 400000; return OK; }
ret_t nvmlDeviceGetEnforcedPowerLimit(void *d, unsigned *mw) { CHECK(d); *mw = B(d) ? 300000 : 400000; return OK; }
ret_t nvmlDeviceGetTotalEnergyConsumption(void *d, unsigned long long *mj) {
    CHECK(d);
    *mj = B(d) ? 987654321ull : 123456789ull;
    return OK;
}
ret_t nvmlDeviceGetClockInfo(void *d, unsigned type, unsigned *mhz) {
    CHECK(d);
    if (type == 1) *mhz = B(d) ? 900 : 1410;
    else if (type == 2) *mhz = 1593;
    else return E_NOT_SUPPORTED;
    return OK;
}

/* 0x20 SwThermalSlowdown | 0x40 HwThermalSlowdown on profile B. */
static ret_t reasons(void *d, unsigned long long *r) { CHECK(d); *r = B(d) ? 0x60 : 0; return OK; }
#ifdef FAKE_NVML_OLD_NAMES
ret_t nvmlDeviceGetCurrentClocksThrottleReasons(void *d, unsigned long long *r) { return reasons(d, r); }
#else
ret_t nvmlDeviceGetCurrentClocksEventReasons(void *d, unsigned long long *r) { return reasons(d, r); }
#endif

ret_t nvmlDeviceGetPcieThroughput(void *d, unsigned counter, unsigned *kbs) {
    CHECK(d);
    if (counter == 0) *kbs = B(d) ? 500 : 1000;
    else if (counter == 1) *kbs = B(d) ? 700 : 2000;
    else return E_INVALID;
    return OK;
}
ret_t nvmlDeviceGetPcieReplayCounter(void *d, unsigned *n) { CHECK(d); *n = B(d) ? 7 : 0; return OK; }

/* nvmlDeviceGetTotalEccErrors(dev, errorType 0 corrected / 1 uncorrected, counterType 0 volatile / 1 aggregate). */
ret_t nvmlDeviceGetTotalEccErrors(void *d, unsigned errorType, unsigned counterType, unsigned long long *n) {
    CHECK(d);
    static const unsigned long long b[2][2] = {{5, 42}, {1, 2}};
    *n = B(d) ? b[errorType & 1][counterType & 1] : 0;
    return OK;
}
/* cause 0: multiple single-bit errors, 1: double-bit error. */
ret_t nvmlDeviceGetRetiredPages(void *d, unsigned cause, unsigned *count, unsigned long long *addresses) {
    CHECK(d);
    unsigned have = B(d) ? (cause == 0 ? 3 : 1) : 0;
    if (*count < have) { *count = have; return E_INSUFFICIENT; }
    for (unsigned i = 0; i < have; i++) addresses[i] = 0x1000ull * (i + 1);
    *count = have;
    return OK;
}
ret_t nvmlDeviceGetRetiredPagesPendingStatus(void *d, unsigned *pending) { CHECK(d); *pending = B(d); return OK; }
ret_t nvmlDeviceGetRemappedRows(void *d, unsigned *corr, unsigned *unc, unsigned *pending, unsigned *failed) {
    CHECK(d);
    *corr = B(d) ? 2 : 0;
    *unc = B(d) ? 1 : 0;
    *pending = B(d) ? 1 : 0;
    *failed = 0;
    return OK;
}

/* Profile A: 3 compute processes. The buffer is never read by the collector (it asks with a count of 0). */
static ret_t processes(void *d, unsigned *count, void *infos) {
    CHECK(d);
    unsigned have = B(d) ? 0 : 3;
    (void)infos;
    if (*count < have) { *count = have; return E_INSUFFICIENT; }
    *count = have;
    return OK;
}
#ifdef FAKE_NVML_OLD_NAMES
ret_t nvmlDeviceGetComputeRunningProcesses_v2(void *d, unsigned *c, void *i) { return processes(d, c, i); }
#else
ret_t nvmlDeviceGetComputeRunningProcesses_v3(void *d, unsigned *c, void *i) { return processes(d, c, i); }
#endif

/* NVLink on profile A only: links 0 and 1 active of 12; per active link replay 1, recovery 0, crc flit 2, crc data 3. */
ret_t nvmlDeviceGetNvLinkState(void *d, unsigned link, unsigned *active) {
    CHECK(d);
    if (B(d)) return E_NOT_SUPPORTED;
    if (link >= 12) return E_INVALID;
    *active = link < 2;
    return OK;
}
ret_t nvmlDeviceGetNvLinkErrorCounter(void *d, unsigned link, unsigned counter, unsigned long long *n) {
    CHECK(d);
    if (B(d)) return E_NOT_SUPPORTED;
    if (link >= 12 || counter > 3) return E_INVALID;
    static const unsigned long long per[4] = {1, 0, 2, 3};
    *n = per[counter];
    return OK;
}
/* nvmlFieldValue_t: fieldId, scopeId, timestamp, latencyUsec, valueType, nvmlReturn, value (offset 32). */
ret_t nvmlDeviceGetFieldValues(void *d, int count, unsigned char *values) {
    CHECK(d);
    for (int i = 0; i < count; i++) {
        unsigned char *v = values + 40 * i;
        unsigned id;
        memcpy(&id, v, 4);
        unsigned type = 3, r = OK; /* NVML_VALUE_TYPE_UNSIGNED_LONG_LONG */
        unsigned long long x = 0;
        if (B(d)) r = E_NOT_SUPPORTED;
        else if (id == 138) x = 1000; /* NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX, KiB */
        else if (id == 139) x = 3000; /* ..._DATA_RX */
        else r = E_NOT_SUPPORTED;
        memcpy(v + 24, &type, 4);
        memcpy(v + 28, &r, 4);
        memcpy(v + 32, &x, 8);
    }
    return OK;
}

/* Xid events. nvmlEventData_t: device, eventType, eventData, gpuInstanceId, computeInstanceId. */
ret_t nvmlEventSetCreate(void **set) { if (!initialized) return E_UNINIT; *set = &the_set; return OK; }
ret_t nvmlEventSetFree(void *set) { (void)set; return OK; }
ret_t nvmlDeviceRegisterEvents(void *d, unsigned long long types, void *set) {
    CHECK(d);
    if (!(types & 0x8)) return E_NOT_SUPPORTED;
    (void)set;
    if (B(d) && DEV(d)->index == 1 && queue_len < 64) {
        queue[queue_len].gpu = 1;
        queue[queue_len].xid = 79;
        queue_len++;
    }
    return OK;
}
static ret_t wait_event(void *set, unsigned char *data) {
    (void)set;
    if (queue_len == 0) return E_TIMEOUT;
    void *dev = &gpus[queue[0].gpu];
    unsigned long long type = 0x8, xid = queue[0].xid;
    memcpy(data, &dev, sizeof dev);
    memcpy(data + 8, &type, 8);
    memcpy(data + 16, &xid, 8);
    memmove(queue, queue + 1, sizeof queue[0] * (size_t)(--queue_len));
    return OK;
}
#ifdef FAKE_NVML_OLD_NAMES
ret_t nvmlEventSetWait(void *set, void *data, unsigned ms) { (void)ms; return wait_event(set, data); }
#else
ret_t nvmlEventSetWait_v2(void *set, void *data, unsigned ms) {
    (void)ms;
    ret_t r = wait_event(set, data);
    if (r == OK) memset((unsigned char *)data + 24, 0xff, 8); /* no GPU/compute instance */
    return r;
}
#endif

/* Test hooks. */
void fake_nvml_inject_xid(unsigned gpu, unsigned long long xid) {
    if (queue_len < 64) { queue[queue_len].gpu = gpu; queue[queue_len].xid = xid; queue_len++; }
}
void fake_nvml_set_temperature(unsigned gpu, unsigned celsius) {
    if (gpu < FAKE_GPU_COUNT) temperature_override[gpu] = celsius;
}
void fake_nvml_set_lost(unsigned gpu, int is_lost) {
    if (gpu < FAKE_GPU_COUNT) lost[gpu] = is_lost;
}
