//! The KV state machine's snapshot: its map and its session table (the de-duplication
//! state must travel with the data, or a retry applied before the snapshot would be
//! applied again after a restore) as bytes, the opaque data of a `raft::Snapshot`.
//!
//! Format, little-endian: `u32` pair count, then per pair its key and value; `u32` session
//! count, then per session `u32` client, `u64` last sequence number and the output (a tag
//! byte: 0 done, 1 absent value, 2 value + string, 3 swapped false, 4 swapped true).
//! A string is a `u32` byte length and its UTF-8 bytes. Pairs and sessions are in key
//! order, so equal stores give equal bytes.

use crate::kv::{ClientId, KvOutput, KvStore};

/// Why snapshot bytes do not decode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotDecodeError(pub String);

impl KvStore {
    /// The store as snapshot bytes.
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_u32(&mut out, self.data().len() as u32);
        for (k, v) in self.data().iter() {
            put_str(&mut out, k);
            put_str(&mut out, v);
        }
        let sessions = self.sessions();
        put_u32(&mut out, sessions.len() as u32);
        for (client, last_seq, output) in sessions {
            put_u32(&mut out, client);
            out.extend_from_slice(&last_seq.to_le_bytes());
            match output {
                KvOutput::Done => out.push(0),
                KvOutput::Value(None) => out.push(1),
                KvOutput::Value(Some(v)) => {
                    out.push(2);
                    put_str(&mut out, v);
                }
                KvOutput::Swapped(b) => out.push(3 + u8::from(*b)),
            }
        }
        out
    }

    /// The store the bytes of [`KvStore::to_snapshot`] describe.
    pub fn from_snapshot(bytes: &[u8]) -> Result<KvStore, SnapshotDecodeError> {
        let mut r = Reader { bytes, at: 0 };
        let mut kv = KvStore::new();
        for _ in 0..r.u32()? {
            let k = r.string()?;
            let v = r.string()?;
            kv.execute(&crate::kv::KvOp::Put { key: k, value: v });
        }
        for _ in 0..r.u32()? {
            let client: ClientId = r.u32()?;
            let last_seq = r.u64()?;
            let output = match r.u8()? {
                0 => KvOutput::Done,
                1 => KvOutput::Value(None),
                2 => KvOutput::Value(Some(r.string()?)),
                3 => KvOutput::Swapped(false),
                4 => KvOutput::Swapped(true),
                t => return Err(SnapshotDecodeError(format!("output tag {t}"))),
            };
            kv.restore_session(client, last_seq, output);
        }
        if r.at != bytes.len() {
            return Err(SnapshotDecodeError(format!(
                "{} trailing bytes",
                bytes.len() - r.at
            )));
        }
        Ok(kv)
    }
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], SnapshotDecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| SnapshotDecodeError(format!("truncated at byte {}", self.at)))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, SnapshotDecodeError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, SnapshotDecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, SnapshotDecodeError> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    fn string(&mut self) -> Result<String, SnapshotDecodeError> {
        let n = self.u32()? as usize;
        let at = self.at;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| SnapshotDecodeError(format!("invalid UTF-8 at byte {at}")))
    }
}

#[cfg(test)]
mod tests {
    use crate::kv::{ApplyKind, KvCommand, KvOp, KvStore};
    use std::sync::Arc;

    fn cmd(client: u32, seq: u64, op: KvOp) -> KvCommand {
        KvCommand {
            client,
            seq,
            op: Arc::new(op),
        }
    }

    #[test]
    fn a_restored_store_equals_the_original_sessions_included() {
        let mut kv = KvStore::new();
        let a = cmd(
            1,
            1,
            KvOp::Append {
                key: "x".into(),
                value: "é".into(),
            },
        );
        kv.apply(&a, true);
        kv.apply(&cmd(2, 4, KvOp::Get { key: "y".into() }), true);
        kv.apply(
            &cmd(
                3,
                2,
                KvOp::Cas {
                    key: "z".into(),
                    expected: None,
                    value: "1".into(),
                },
            ),
            true,
        );
        let bytes = kv.to_snapshot();
        let mut back = KvStore::from_snapshot(&bytes).unwrap();
        assert_eq!(back, kv);
        assert_eq!(back.to_snapshot(), bytes);
        // The session came along: the retry is recognised after the restore.
        assert_eq!(back.apply(&a, true).1, ApplyKind::Deduplicated);
        assert_eq!(back.get("x").map(String::as_str), Some("é"));
    }

    #[test]
    fn bad_bytes_are_refused_not_panicked_on() {
        let mut kv = KvStore::new();
        kv.execute(&KvOp::Put {
            key: "k".into(),
            value: "v".into(),
        });
        let bytes = kv.to_snapshot();
        for cut in 0..bytes.len() {
            assert!(
                KvStore::from_snapshot(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(KvStore::from_snapshot(&long).is_err());
    }
}
