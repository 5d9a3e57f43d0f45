//! The environment behind the interaction scripts (`tests/interaction.rs`): a cluster of
//! [`raft::Node`]s whose messages wait in one queue until a command delivers, drops or
//! reorders them, on one shared clock that moves only when a command says so.
//!
//! Every command appends its output to a transcript: the messages nodes send (in their
//! one-line `Display` form), the events they report (role changes, commits, refusals, ...),
//! reads served or dropped, and what `log` / `status` print. Persistence and applying are
//! done as a real driver does them and are not printed.

use raft::{
    Config, Configuration, EntryPayload, Envelope, Event, MembershipChange, Node, NodeId,
    PersistentState, ReadMode, ReplicationState, Role, TeachingToggles,
};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// At most this many messages are delivered by one `stabilize`.
const STABILIZE_MSGS_MAX: usize = 10_000;

/// The cluster, its network queue and the transcript being written.
#[derive(Default)]
pub struct Env {
    config: Config,
    /// Each node's bootstrap configuration (empty for a server added later).
    configurations: Vec<Configuration>,
    nodes: Vec<Option<Node<String>>>,
    stores: Vec<PersistentState<String>>,
    /// Each node's state machine: the commands applied, in order (restored from a
    /// snapshot's data, one command per line).
    machines: Vec<Vec<String>>,
    timeouts_us: Vec<u64>,
    now_us: u64,
    /// Sent and not yet delivered or dropped, in send order.
    queue: Vec<Envelope<String>>,
    /// Directed links that drop everything delivered over them.
    cut: BTreeSet<(u32, u32)>,
    /// Every (term, node) that became leader, from the nodes' role-change events.
    elected: BTreeSet<(u64, u32)>,
    out: String,
}

/// A link selector: `1->2`.
fn parse_link(s: &str) -> Result<(u32, u32), String> {
    let (a, b) = s
        .split_once("->")
        .ok_or_else(|| format!("expected a link like 1->2, got {s:?}"))?;
    Ok((parse_id(a)?, parse_id(b)?))
}

fn parse_id(s: &str) -> Result<u32, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("expected a node id, got {s:?}"))
}

fn parse_u64(s: &str) -> Result<u64, String> {
    s.parse()
        .map_err(|_| format!("expected a number, got {s:?}"))
}

fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "true" | "on" => Ok(true),
        "false" | "off" => Ok(false),
        _ => Err(format!("expected true or false, got {s:?}")),
    }
}

fn parse_group(s: &str) -> Result<Vec<u32>, String> {
    s.split(',').map(parse_id).collect()
}

/// `add-learner Y` / `add-voter Y` / `promote Y` / `remove Y` /
/// `joint voters=A,B,.. [learners=C,..]`.
fn parse_change(args: &[&str]) -> Result<MembershipChange, String> {
    let (&kind, rest) = args
        .split_first()
        .ok_or("change: expected a kind of change")?;
    let one = || -> Result<NodeId, String> {
        Ok(NodeId(parse_id(
            rest.first().ok_or("change: expected a node")?,
        )?))
    };
    Ok(match kind {
        "add-learner" => MembershipChange::AddLearner(one()?),
        "add-voter" => MembershipChange::AddVoter(one()?),
        "promote" => MembershipChange::PromoteLearner(one()?),
        "remove" => MembershipChange::Remove(one()?),
        "joint" => {
            let (mut voters, mut learners) = (Vec::new(), Vec::new());
            for opt in rest {
                match opt.split_once('=') {
                    Some(("voters", v)) => voters = parse_group(v)?,
                    Some(("learners", v)) => learners = parse_group(v)?,
                    _ => return Err(format!("change joint: unexpected {opt:?}")),
                }
            }
            let target = Configuration::with_learners(
                voters.into_iter().map(NodeId),
                learners.into_iter().map(NodeId),
            )?;
            MembershipChange::Joint(target)
        }
        _ => return Err(format!("change: unknown kind {kind:?}")),
    })
}

impl Env {
    /// Runs one script line (already stripped of comments); its output joins the
    /// transcript after an echo of the line.
    pub fn run(&mut self, line: &str) -> Result<(), String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&cmd, args)) = words.split_first() else {
            return Ok(());
        };
        let _ = writeln!(self.out, "> {line}");
        let arg = |i: usize| -> Result<&str, String> {
            args.get(i)
                .copied()
                .ok_or_else(|| format!("{cmd}: missing argument {}", i + 1))
        };
        match cmd {
            "add-nodes" => self.add_nodes(parse_u64(arg(0)?)? as u32, &args[1..])?,
            "add-server" => {
                let id = parse_id(arg(0)?)?;
                self.add_server(id, Configuration::default())?;
                self.say(format!("n{id} started outside the configuration"));
            }
            "change" => {
                let id = self.live(arg(0)?)?;
                let change = parse_change(&args[1..])?;
                let now = self.now_us;
                match self.node_mut(id).propose_membership(now, change) {
                    Ok(entry) => self.say(format!("n{id}: proposed configuration at {entry}")),
                    Err(e) => self.say(format!("n{id}: membership change refused: {e}")),
                }
                self.process(id);
            }
            "conf" => {
                let id = self.live(arg(0)?)?;
                let conf = self.node(id).view().configuration.to_string();
                self.say(format!("n{id} configuration: {conf}"));
            }
            "campaign" => {
                let id = self.live(arg(0)?)?;
                let now = self.now_us;
                self.node_mut(id).campaign(now);
                self.process(id);
            }
            "propose" => {
                let id = self.live(arg(0)?)?;
                let command = arg(1)?.to_string();
                let now = self.now_us;
                match self.node_mut(id).propose(now, command) {
                    Ok(entry) => self.say(format!("n{id}: proposed at {entry}")),
                    Err(e) => self.say(format!("n{id}: proposal refused: {e}")),
                }
                self.process(id);
            }
            "read" => {
                let id = self.live(arg(0)?)?;
                let read = parse_u64(arg(1)?)?;
                let now = self.now_us;
                if let Err(e) = self.node_mut(id).read(now, read) {
                    self.say(format!("n{id}: read {read} refused: {e}"));
                }
                self.process(id);
            }
            "transfer" => {
                let id = self.live(arg(0)?)?;
                let to = NodeId(parse_id(arg(1)?)?);
                let now = self.now_us;
                if let Err(e) = self.node_mut(id).transfer_leadership(now, to) {
                    self.say(format!("n{id}: transfer refused: {e}"));
                }
                self.process(id);
            }
            "tick" => {
                let id = self.live(arg(0)?)?;
                let due = self
                    .node(id)
                    .next_deadline_us()
                    .ok_or_else(|| format!("tick: n{id} has no timer armed"))?;
                self.now_us = self.now_us.max(due);
                self.say(format!("tick n{id} at {}us", self.now_us));
                let now = self.now_us;
                self.node_mut(id).tick(now);
                self.process(id);
            }
            "advance" => {
                self.now_us += parse_u64(arg(0)?)?;
                self.say(format!("now {}us", self.now_us));
            }
            "deliver" => {
                let only = args.first().map(|s| parse_link(s)).transpose()?;
                self.deliver_once(only);
            }
            "stabilize" => {
                let mut delivered = 0;
                while !self.queue.is_empty() {
                    delivered += self.deliver_once(None);
                    if delivered > STABILIZE_MSGS_MAX {
                        return Err(format!("stabilize: over {STABILIZE_MSGS_MAX} messages"));
                    }
                }
            }
            "drop" => {
                let only = args.first().map(|s| parse_link(s)).transpose()?;
                let (dropped, kept) = self.split_queue(only);
                self.queue = kept;
                for env in dropped {
                    self.say(format!("dropped {env}"));
                }
            }
            "reorder" => {
                let link = parse_link(arg(0)?)?;
                let slots: Vec<usize> = (0..self.queue.len())
                    .filter(|&i| (self.queue[i].from.0, self.queue[i].to.0) == link)
                    .collect();
                let mut msgs: Vec<Envelope<String>> =
                    slots.iter().map(|&i| self.queue[i].clone()).collect();
                msgs.reverse();
                for (&i, env) in slots.iter().zip(msgs) {
                    self.queue[i] = env;
                }
                self.say(format!(
                    "reversed {} queued on {}->{}",
                    slots.len(),
                    link.0,
                    link.1
                ));
            }
            "cut" => {
                let link = parse_link(arg(0)?)?;
                self.cut.insert(link);
            }
            "isolate" => {
                let id = parse_id(arg(0)?)?;
                for other in 1..=self.nodes.len() as u32 {
                    if other != id {
                        self.cut.insert((id, other));
                        self.cut.insert((other, id));
                    }
                }
            }
            "partition" => {
                let a = parse_group(arg(0)?)?;
                let b = parse_group(arg(1)?)?;
                for &x in &a {
                    for &y in &b {
                        self.cut.insert((x, y));
                        self.cut.insert((y, x));
                    }
                }
            }
            "heal" => self.cut.clear(),
            "crash" => {
                let id = self.live(arg(0)?)?;
                self.nodes[id as usize - 1] = None;
                self.say(format!("n{id} crashed"));
            }
            "restart" => {
                let id = parse_id(arg(0)?)?;
                let i = self.index(id)?;
                if self.nodes[i].is_some() {
                    return Err(format!("restart: n{id} is running"));
                }
                let node = Node::restart(
                    NodeId(id),
                    self.config.clone(),
                    self.configurations[i].clone(),
                    self.stores[i].clone(),
                    self.timeouts_us[i],
                    self.now_us,
                )
                .map_err(|e| format!("restart n{id}: {e}"))?;
                self.nodes[i] = Some(node);
                self.machines[i].clear();
                // Restores the state machine from a persisted snapshot (nothing to print).
                self.process(id);
                let hs = self.stores[i].hard_state;
                let vote = hs.vote.map_or("none".to_string(), |v| v.to_string());
                self.say(format!(
                    "n{id} restarted: {} vote {vote}, {} entries",
                    hs.term,
                    self.stores[i].log.len()
                ));
            }
            "log" => {
                let id = self.live(arg(0)?)?;
                let line = self
                    .node(id)
                    .view()
                    .log
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                match self.node(id).view().snapshot.map(|s| s.to_string()) {
                    Some(s) => self.say(format!("n{id} log: snapshot {s} + [{line}]")),
                    None => self.say(format!("n{id} log: [{line}]")),
                }
            }
            "status" => {
                let id = self.live(arg(0)?)?;
                self.status(id);
            }
            "compact" => {
                let id = self.live(arg(0)?)?;
                let at = self.node(id).view().applied;
                self.compact(id, at);
                self.process(id);
            }
            "machine" => {
                let id = self.live(arg(0)?)?;
                let state = self.machines[id as usize - 1].join(",");
                self.say(format!("n{id} state machine: [{state}]"));
            }
            _ => return Err(format!("unknown command {cmd:?}")),
        }
        if let Some(err) = self
            .nodes
            .iter()
            .flatten()
            .find_map(|n| n.check_invariants().err())
        {
            return Err(format!("invariant broken after {line:?}: {err}"));
        }
        Ok(())
    }

    /// Every (term, node) that became leader so far.
    #[allow(dead_code)] // used by tests/membership.rs, not by tests/interaction.rs
    pub fn elected(&self) -> &BTreeSet<(u64, u32)> {
        &self.elected
    }

    /// Node `id`, unless it is crashed or does not exist.
    #[allow(dead_code)] // used by tests/membership.rs, not by tests/interaction.rs
    pub fn get(&self, id: u32) -> Option<&Node<String>> {
        self.nodes.get((id as usize).checked_sub(1)?)?.as_ref()
    }

    /// Node `id` to call directly; whatever it outputs is drained by the next command
    /// that processes it.
    #[allow(dead_code)] // used by tests/membership.rs, not by tests/interaction.rs
    pub fn get_mut(&mut self, id: u32) -> Option<&mut Node<String>> {
        self.nodes.get_mut((id as usize).checked_sub(1)?)?.as_mut()
    }

    /// Node `id`'s state machine: the commands it applied, in order.
    #[allow(dead_code)] // used by tests/snapshot.rs, not by tests/interaction.rs
    pub fn machine(&self, id: u32) -> &[String] {
        &self.machines[id as usize - 1]
    }

    /// The transcript so far.
    pub fn transcript(&self) -> &str {
        &self.out
    }

    fn say(&mut self, line: String) {
        self.out.push_str(&line);
        self.out.push('\n');
    }

    fn index(&self, id: u32) -> Result<usize, String> {
        if id == 0 || id as usize > self.nodes.len() {
            return Err(format!("no node n{id}"));
        }
        Ok(id as usize - 1)
    }

    fn live(&self, s: &str) -> Result<u32, String> {
        let id = parse_id(s)?;
        let i = self.index(id)?;
        if self.nodes[i].is_none() {
            return Err(format!("n{id} is crashed"));
        }
        Ok(id)
    }

    fn node(&self, id: u32) -> &Node<String> {
        self.nodes[id as usize - 1].as_ref().expect("checked live")
    }

    fn node_mut(&mut self, id: u32) -> &mut Node<String> {
        self.nodes[id as usize - 1].as_mut().expect("checked live")
    }

    /// `add-nodes N [pre-vote=B] [check-quorum=B] [read-mode=lease|read-index]
    /// [entries-per-msg=K] [inflight=K] [TOGGLE=B]...`: nodes 1..=N, all voters. Node i
    /// times out after `election_timeout_us_min + 10 ms + (i - 1) * 40 ms`, so node 1
    /// always times out first.
    fn add_nodes(&mut self, count: u32, opts: &[&str]) -> Result<(), String> {
        if !self.nodes.is_empty() {
            return Err("add-nodes: nodes already added".into());
        }
        let mut config = Config::default();
        let mut toggles = TeachingToggles::default();
        for opt in opts {
            let (k, v) = opt
                .split_once('=')
                .ok_or_else(|| format!("add-nodes: expected key=value, got {opt:?}"))?;
            match k {
                "pre-vote" => config.pre_vote = parse_bool(v)?,
                "check-quorum" => config.check_quorum = parse_bool(v)?,
                "read-mode" => {
                    config.read_mode = match v {
                        "lease" => ReadMode::Lease,
                        "read-index" => ReadMode::ReadIndex,
                        _ => return Err(format!("add-nodes: unknown read mode {v:?}")),
                    }
                }
                "entries-per-msg" => config.entries_per_msg_max = parse_u64(v)? as usize,
                "inflight" => config.inflight_msgs_max = parse_u64(v)? as usize,
                "vote-without-log-check" => toggles.vote_without_log_check = parse_bool(v)?,
                "commit-old-terms-by-counting" => {
                    toggles.commit_old_terms_by_counting = parse_bool(v)?
                }
                "forget-vote-on-restart" => toggles.forget_vote_on_restart = parse_bool(v)?,
                "skip-noop-on-election" => toggles.skip_noop_on_election = parse_bool(v)?,
                "change-membership-before-own-term-commit" => {
                    toggles.change_membership_before_own_term_commit = parse_bool(v)?
                }
                "snapshot-threshold" => config.snapshot_threshold_entries = parse_u64(v)?,
                "learner-lag-max" => config.learner_caught_up_lag_entries_max = parse_u64(v)?,
                "learner-rounds-min" => config.learner_caught_up_rounds_min = parse_u64(v)? as u32,
                _ => return Err(format!("add-nodes: unknown option {k:?}")),
            }
        }
        config.toggles = toggles;
        self.config = config;
        let configuration = Configuration::new((1..=count).map(NodeId));
        for id in 1..=count {
            self.add_server(id, configuration.clone())?;
        }
        self.say(format!("{count} nodes, n1 times out first"));
        Ok(())
    }

    /// Starts server `id` (the next id) with bootstrap configuration `configuration`; it
    /// times out after `election_timeout_us_min + 10 ms + (id - 1) * 40 ms`.
    fn add_server(&mut self, id: u32, configuration: Configuration) -> Result<(), String> {
        if id as usize != self.nodes.len() + 1 {
            return Err(format!("the next server is n{}", self.nodes.len() + 1));
        }
        let timeout = self.config.election_timeout_us_min + 10_000 + u64::from(id - 1) * 40_000;
        let node = Node::new(
            NodeId(id),
            self.config.clone(),
            configuration.clone(),
            timeout,
            self.now_us,
        )
        .map_err(|e| format!("n{id}: {e}"))?;
        self.nodes.push(Some(node));
        self.stores.push(PersistentState::default());
        self.machines.push(Vec::new());
        self.timeouts_us.push(timeout);
        self.configurations.push(configuration);
        Ok(())
    }

    /// Drains a node's ready the way a driver does (persist, send, apply) and writes what
    /// it shows into the transcript.
    fn process(&mut self, id: u32) {
        let i = id as usize - 1;
        let Some(node) = self.nodes[i].as_mut() else {
            return;
        };
        let ready = node.take_ready();
        if ready.needs_election_timeout {
            node.set_election_timeout(self.timeouts_us[i]);
        }
        self.stores[i].persist(&ready);
        for e in &ready.events {
            if let Event::RoleChanged {
                to: Role::Leader,
                term,
                ..
            } = e
            {
                self.elected.insert((term.0, id));
            }
            self.say(format!("n{id}: {e}"));
        }
        for r in &ready.read_states {
            self.say(format!("n{id}: read {} served at index {}", r.id, r.index));
        }
        for r in &ready.dropped_reads {
            self.say(format!("n{id}: read {r} dropped"));
        }
        for env in ready.messages {
            self.say(env.to_string());
            self.queue.push(env);
        }
        if let Some(s) = &ready.apply_snapshot {
            let text = String::from_utf8_lossy(&s.data).to_string();
            self.machines[i] = text.lines().map(str::to_string).collect();
        }
        for e in &ready.committed_entries {
            if let EntryPayload::Command(c) = &e.payload {
                self.machines[i].push(c.clone());
            }
        }
        let due = self.nodes[i].as_ref().and_then(|n| n.snapshot_due());
        if let Some(at) = due {
            self.compact(id, at);
            self.process(id);
        }
    }

    /// Compacts node `id`'s log at `at` with its state machine as the snapshot's data.
    fn compact(&mut self, id: u32, at: raft::LogIndex) {
        let i = id as usize - 1;
        let data: Vec<u8> = self.machines[i].join("\n").into_bytes();
        let len = data.len();
        match self.node_mut(id).compact(at, data.into()) {
            Ok(()) => self.say(format!("n{id}: snapshot at {at} ({len} bytes)")),
            Err(e) => self.say(format!("n{id}: compaction refused: {e}")),
        }
    }

    /// Splits the queue into the messages `only` selects (all when `None`) and the rest.
    fn split_queue(
        &mut self,
        only: Option<(u32, u32)>,
    ) -> (Vec<Envelope<String>>, Vec<Envelope<String>>) {
        std::mem::take(&mut self.queue)
            .into_iter()
            .partition(|e| only.is_none_or(|l| (e.from.0, e.to.0) == l))
    }

    /// Delivers the queued messages `only` selects, in send order; what they cause is
    /// queued behind. Returns how many were taken off the queue.
    fn deliver_once(&mut self, only: Option<(u32, u32)>) -> usize {
        let (batch, kept) = self.split_queue(only);
        self.queue = kept;
        let n = batch.len();
        for env in batch {
            let (from, to) = (env.from.0, env.to.0);
            if self.cut.contains(&(from, to)) {
                self.say(format!("dropped (link cut) {env}"));
                continue;
            }
            if self.nodes[to as usize - 1].is_none() {
                self.say(format!("dropped (n{to} crashed) {env}"));
                continue;
            }
            let now = self.now_us;
            self.node_mut(to).step(now, env.from, env.msg);
            self.process(to);
        }
        n
    }

    fn status(&mut self, id: u32) {
        let v = self.node(id).view();
        let vote = v.vote.map_or("none".to_string(), |n| n.to_string());
        let leader = v.leader.map_or("none".to_string(), |n| n.to_string());
        let mut line = format!(
            "n{id}: {} {} vote={vote} leader={leader} commit={} applied={} last={}",
            v.role,
            v.term,
            v.commit,
            v.applied,
            v.log
                .last()
                .map_or(v.snapshot.map_or(0, |s| s.last_included.index.0), |e| e
                    .id
                    .index
                    .0)
        );
        if let Some(until) = v.lease_until_us {
            let _ = write!(line, " lease-until={until}us");
        }
        if let Some(t) = v.transfer_target {
            let _ = write!(line, " transfer-to={t}");
        }
        if let Some(s) = v.snapshot {
            let _ = write!(line, " snapshot={}", s.last_included);
        }
        let mut lines = vec![line];
        for p in v.progress {
            let state = match p.state {
                ReplicationState::Probe => "probe",
                ReplicationState::Replicate => "replicate",
                ReplicationState::Snapshot => "snapshot",
            };
            // Shown for learners only, so the status of an all-voter cluster reads as before.
            let learner = if v.configuration.is_learner(p.node) {
                format!(" learner caught-up-rounds={}", p.caught_up_rounds())
            } else {
                String::new()
            };
            lines.push(format!(
                "  {}: {state} match={} next={} inflight={}/{}{}{learner}",
                p.node,
                p.match_index,
                p.next_index,
                p.inflight_msgs(),
                p.window_msgs(),
                if p.recent_active { " active" } else { "" }
            ));
        }
        for l in lines {
            self.say(l);
        }
    }
}
