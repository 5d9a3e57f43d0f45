//! Live heap over virtual time, natively, with the page's checkpoint policy: the native
//! twin of `tests/node/bench-memory.mjs`, with a breakdown the Wasm bench cannot give.
//!
//! A 5-node world, 10 clients at 5 ops/s each, checkpoints deferred and taken when due.
//! At each mark it prints the live and peak heap; at the end, what dropping the
//! checkpoints frees (what they hold beyond the live world).
//!
//! `cargo run --release -p raftlab-sim --example memory [MINUTES]` (default 10).

use sim::{SimConfig, World};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: defers to `System`, only counting sizes on the way.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE_BYTES.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK_BYTES.fetch_max(live, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const FRAME_US: u64 = 160_000;
const MINUTE_US: u64 = 60_000_000;

fn mb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / (1 << 20) as f64)
}

fn main() {
    let minutes: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("MINUTES is a whole number"))
        .unwrap_or(10);
    let mut config = SimConfig {
        node_count: 5,
        ..SimConfig::default()
    };
    config.clients.count = 10;
    config.workload.enabled = true;
    config.workload.rate_ops_per_s = 5;
    let mut world = World::new(config, 1).expect("valid config");
    world.set_checkpoints_deferred(true);
    println!("5 nodes, 10 clients x 5 ops/s, deferred checkpoints taken when due");
    println!("virtual min | live MB | peak MB | checkpoints | events");
    let mut marks: Vec<u64> = [1, 5, 10, 15, 30, 60]
        .into_iter()
        .filter(|&m| m <= minutes)
        .collect();
    if marks.last() != Some(&minutes) {
        marks.push(minutes);
    }
    for mark in marks {
        while world.now_us() < mark * MINUTE_US {
            world.advance(FRAME_US.min(mark * MINUTE_US - world.now_us()));
            if world.checkpoint_due() {
                world.checkpoint_now();
            }
        }
        let info = world.timeline();
        println!(
            "{mark} | {} | {} | {} | {}",
            mb(LIVE_BYTES.load(Relaxed)),
            mb(PEAK_BYTES.load(Relaxed)),
            info.checkpoints,
            world.events_processed(),
        );
    }
    let before = LIVE_BYTES.load(Relaxed);
    world.set_checkpointing(false);
    println!(
        "at the end, dropping the checkpoints frees {} MB",
        mb(before - LIVE_BYTES.load(Relaxed))
    );
}
