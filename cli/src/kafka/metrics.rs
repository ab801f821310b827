//! What a member has done, in Prometheus' text format (`--metrics ADDR`
//! serves it at `/metrics`), and as a progress line on a terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use evcat::stream::FindingKind;

use super::routing::MISROUTED;

#[derive(Clone)]
pub struct Metrics {
    topic: Arc<str>,
    inner: Arc<Mutex<Counts>>,
}

#[derive(Default)]
struct Counts {
    records: u64,
    findings: BTreeMap<String, u64>,
    /// Per partition: the last offset checked and the lag librdkafka last
    /// reported (from fetch responses' high watermarks).
    offsets: BTreeMap<i32, i64>,
    lags: BTreeMap<i32, i64>,
    commits: u64,
    commit_seconds: f64,
}

impl Metrics {
    pub fn new(topic: &str) -> Self {
        Self {
            topic: topic.into(),
            inner: Arc::default(),
        }
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.inner
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    pub fn record(&self, partition: i32, offset: i64) {
        let mut counts = self.counts();
        counts.records += 1;
        counts.offsets.insert(partition, offset);
    }

    pub fn finding(&self, kind: &str) {
        *self.counts().findings.entry(kind.to_owned()).or_default() += 1;
    }

    pub fn committed(&self, took: Duration) {
        let mut counts = self.counts();
        counts.commits += 1;
        counts.commit_seconds += took.as_secs_f64();
    }

    pub fn forget_partition(&self, partition: i32) {
        let mut counts = self.counts();
        counts.offsets.remove(&partition);
        counts.lags.remove(&partition);
    }

    /// librdkafka's statistics: each assigned partition's consumer lag.
    pub fn statistics(&self, statistics: &rdkafka::Statistics) {
        let Some(topic) = statistics.topics.get(&*self.topic) else {
            return;
        };
        let mut counts = self.counts();
        for (partition, figures) in &topic.partitions {
            if counts.offsets.contains_key(partition) && figures.consumer_lag >= 0 {
                counts.lags.insert(*partition, figures.consumer_lag);
            }
        }
    }

    /// `records, findings` so far, for the progress line.
    pub fn totals(&self) -> (u64, u64) {
        let counts = self.counts();
        (counts.records, counts.findings.values().sum())
    }

    /// The Prometheus text exposition of the counts.
    pub fn render(&self) -> String {
        let counts = self.counts();
        let topic = label(&self.topic);
        let mut text = String::new();
        let _ = writeln!(
            text,
            "# HELP evcat_records_total Records checked.\n# TYPE evcat_records_total counter"
        );
        let _ = writeln!(
            text,
            "evcat_records_total{{topic=\"{topic}\"}} {}",
            counts.records
        );
        let _ = writeln!(text, "# HELP evcat_findings_total Findings reported, by kind.\n# TYPE evcat_findings_total counter");
        let kinds = FindingKind::ALL.map(FindingKind::as_str);
        for kind in kinds.into_iter().chain([MISROUTED]) {
            let count = counts.findings.get(kind).copied().unwrap_or(0);
            let _ = writeln!(
                text,
                "evcat_findings_total{{topic=\"{topic}\",kind=\"{kind}\"}} {count}"
            );
        }
        let _ = writeln!(text, "# HELP evcat_partition_offset The last offset checked in each assigned partition.\n# TYPE evcat_partition_offset gauge");
        for (partition, offset) in &counts.offsets {
            let _ = writeln!(
                text,
                "evcat_partition_offset{{topic=\"{topic}\",partition=\"{partition}\"}} {offset}"
            );
        }
        let _ = writeln!(text, "# HELP evcat_partition_lag Records behind the partition's end, as librdkafka last reported.\n# TYPE evcat_partition_lag gauge");
        for (partition, lag) in &counts.lags {
            let _ = writeln!(
                text,
                "evcat_partition_lag{{topic=\"{topic}\",partition=\"{partition}\"}} {lag}"
            );
        }
        let _ = writeln!(text, "# HELP evcat_commit_seconds Time to write out findings and commit offsets.\n# TYPE evcat_commit_seconds summary");
        let _ = writeln!(
            text,
            "evcat_commit_seconds_sum{{topic=\"{topic}\"}} {}",
            counts.commit_seconds
        );
        let _ = writeln!(
            text,
            "evcat_commit_seconds_count{{topic=\"{topic}\"}} {}",
            counts.commits
        );
        text
    }

    /// Serves `/metrics` at `address` from a thread of its own.
    pub fn serve(&self, address: SocketAddr) -> Result<(), String> {
        let server = tiny_http::Server::http(address)
            .map_err(|error| format!("cannot serve metrics at {address}: {error}"))?;
        let metrics = self.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let response = if request.url() == "/metrics" {
                    let header = tiny_http::Header::from_bytes(
                        "Content-Type",
                        "text/plain; version=0.0.4; charset=utf-8",
                    )
                    .expect("a valid header");
                    tiny_http::Response::from_string(metrics.render()).with_header(header)
                } else {
                    tiny_http::Response::from_string("evcat serves /metrics\n")
                        .with_status_code(404)
                };
                let _ = request.respond(response);
            }
        });
        Ok(())
    }
}

/// A label value as Prometheus' text format escapes it.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::Metrics;

    #[test]
    fn counts_render_as_prometheus_text() {
        let metrics = Metrics::new("orders\"x");
        metrics.record(2, 41);
        metrics.record(2, 42);
        metrics.finding("duplicate");
        let text = metrics.render();
        assert!(
            text.contains("evcat_records_total{topic=\"orders\\\"x\"} 2\n"),
            "{text}"
        );
        assert!(text.contains("kind=\"duplicate\"} 1\n"), "{text}");
        assert!(text.contains("kind=\"invalid\"} 0\n"), "{text}");
        assert!(text.contains("partition=\"2\"} 42\n"), "{text}");
        assert_eq!(metrics.totals(), (2, 1));
    }
}
