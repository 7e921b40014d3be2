// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The shared maps and settings, defined once: linked into the core object (a light
 * skeleton) and into the extra object, which reuses all the core's maps by fd. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

procmon_targets_map targets SEC(".maps");
procmon_threads_map threads SEC(".maps");
procmon_events_map events SEC(".maps");
procmon_target_bits_map target_bits SEC(".maps");
procmon_probed_map probed SEC(".maps");
procmon_plain_files_map plain_files SEC(".maps");

const volatile __u32 follow_children = 0;
const volatile __u32 page_shift = 12;
const volatile __u32 holder_tgid = 0;
const volatile __u64 cgroup_id = 0;
const volatile bool light = false;
const volatile bool schedstats = false;
__u64 sample_seq = 0;
__u64 children_lost = 0;
__u64 fork_events_lost = 0;	/* a child made a target, its event not sent */
__u64 cgroup_events_lost = 0;
__u64 ticks_lost = 0;
__u64 tick_ns = 0;	/* the timer's own cost, for the benchmark */
__u64 tick_runs = 0;
__u32 tick_targets_n = 0;
bool ticking = false;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
