//! [`TaskDump`]: every unfinished task of a loop, with what it waits for, under the loop's
//! counters — what to print when an application hangs or stutters.

extern crate alloc;

use alloc::vec::Vec;
use core::fmt;

use crate::stats::LoopStats;
use crate::waiting::Waiting;
use crate::Loop;

/// A snapshot of a loop's tasks, from [`Loop::dump`]; printed with `Display`:
///
/// ```text
/// asyncio: 2 tasks (5 created), 41 polls, 12 rounds, 9 parks, 0 slow polls, 0 overdue cancels, 0 swallowed cancels
///   name                     state                          age ms     polls  mark
///   main                     task 'blink'                     1200         3
///   blink                    sleep until 1500 ms              1190        12
///   button                   ThreadSafeFlag                   1195         4  urgent
///   uplink                   sleep until 1300 ms              1100         2  group
/// ```
#[derive(Clone, Debug)]
pub struct TaskDump {
    stats: LoopStats,
    rows: Vec<Row>,
}

#[derive(Clone, Debug)]
struct Row {
    name: &'static str,
    waiting: Waiting,
    age_ms: u64,
    polls: u32,
    urgent: bool,
    in_group: bool,
}

impl TaskDump {
    pub(crate) fn new(lp: &Loop) -> Self {
        let rows = lp
            .tasks()
            .map(|t| Row {
                name: t.name(),
                waiting: t.waiting(),
                age_ms: t.age_ms(),
                polls: t.polls(),
                urgent: t.is_urgent(),
                in_group: t.in_group(),
            })
            .collect();
        TaskDump {
            stats: lp.stats(),
            rows,
        }
    }

    /// The counters at the time of the snapshot.
    pub fn stats(&self) -> LoopStats {
        self.stats
    }
}

impl fmt::Display for TaskDump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.stats;
        writeln!(
            f,
            "asyncio: {} tasks ({} created), {} polls, {} rounds, {} parks, {} slow polls, {} \
             overdue cancels, {} swallowed cancels",
            s.tasks_alive,
            s.tasks_created,
            s.polls,
            s.rounds,
            s.parks,
            s.slow_polls,
            s.overdue_cancels,
            s.swallowed_cancels
        )?;
        writeln!(
            f,
            "  {:<24} {:<30} {:>6} {:>9}  mark",
            "name", "state", "age ms", "polls"
        )?;
        for row in &self.rows {
            // Pad the state through a formatted copy: Waiting's Display ignores width.
            let state = alloc::format!("{}", row.waiting);
            let mark = match (row.urgent, row.in_group) {
                (true, true) => "  urgent group",
                (true, false) => "  urgent",
                (false, true) => "  group",
                (false, false) => "",
            };
            writeln!(
                f,
                "  {:<24} {:<30} {:>6} {:>9}{mark}",
                row.name, state, row.age_ms, row.polls
            )?;
        }
        Ok(())
    }
}
