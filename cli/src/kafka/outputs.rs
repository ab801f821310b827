//! Where a member's findings go: JSON lines on standard output, and
//! optionally a findings topic and a dead-letter topic. Nothing is
//! committed until `flush` says all of it is written.

use std::io::{BufWriter, Stdout, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::message::{BorrowedMessage, Header, Headers, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::{ClientConfig, ClientContext, Message};

/// One finding about one record.
pub struct Report<'a> {
    pub kind: &'a str,
    pub message: &'a str,
    pub event_id: Option<&'a str>,
}

/// Remembers the first delivery that failed: the member then stops without
/// committing, so the records whose output was lost are read again.
#[derive(Clone, Default)]
pub struct Deliveries {
    failed: Arc<Mutex<Option<String>>>,
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((error, message)) = result {
            let mut failed = self
                .failed
                .lock()
                .unwrap_or_else(|poison| poison.into_inner());
            failed.get_or_insert_with(|| {
                format!("could not write to topic `{}`: {error}", message.topic())
            });
        }
    }
}

pub struct Outputs {
    stdout: BufWriter<Stdout>,
    producer: Option<BaseProducer<Deliveries>>,
    deliveries: Deliveries,
    findings_topic: Option<String>,
    dead_letter_topic: Option<String>,
}

/// How long a flush waits for the brokers to acknowledge what was sent.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(60);

impl Outputs {
    pub fn new(
        config: &ClientConfig,
        findings_topic: Option<String>,
        dead_letter_topic: Option<String>,
    ) -> Result<Self, String> {
        let deliveries = Deliveries::default();
        let producer = if findings_topic.is_some() || dead_letter_topic.is_some() {
            let mut config = config.clone();
            // Each finding and dead letter written once per send; a copy of
            // a large record fits (the broker's own limit still applies).
            config
                .set("enable.idempotence", "true")
                .set("message.max.bytes", "100000000");
            Some(
                config
                    .create_with_context(deliveries.clone())
                    .map_err(|error| format!("cannot create a Kafka producer: {error}"))?,
            )
        } else {
            None
        };
        Ok(Self {
            stdout: BufWriter::new(std::io::stdout()),
            producer,
            deliveries,
            findings_topic,
            dead_letter_topic,
        })
    }

    /// Writes a finding: a JSON line, and a record of the findings topic
    /// keyed like the record it is about.
    pub fn finding(
        &mut self,
        record: &BorrowedMessage<'_>,
        report: &Report<'_>,
    ) -> Result<(), String> {
        let key = record.key().map(String::from_utf8_lossy);
        let line = serde_json::json!({
            "kind": report.kind,
            "topic": record.topic(),
            "partition": record.partition(),
            "offset": record.offset(),
            "key": key,
            "event_id": report.event_id,
            "message": report.message,
        })
        .to_string();
        writeln!(self.stdout, "{line}").map_err(|error| format!("standard output: {error}"))?;
        if let (Some(producer), Some(topic)) = (&self.producer, &self.findings_topic) {
            let mut sent = BaseRecord::<[u8], [u8]>::to(topic).payload(line.as_bytes());
            if let Some(key) = record.key() {
                sent = sent.key(key);
            }
            send(producer, sent)?;
        }
        Ok(())
    }

    /// Copies an invalid record to the dead-letter topic: its key, value and
    /// headers, and headers naming the finding and where the record was.
    pub fn dead_letter(
        &mut self,
        record: &BorrowedMessage<'_>,
        report: &Report<'_>,
    ) -> Result<(), String> {
        let (Some(producer), Some(topic)) = (&self.producer, &self.dead_letter_topic) else {
            return Ok(());
        };
        let mut headers = OwnedHeaders::new();
        if let Some(original) = record.headers() {
            for header in original.iter() {
                headers = headers.insert(Header {
                    key: header.key,
                    value: header.value,
                });
            }
        }
        let partition = record.partition().to_string();
        let offset = record.offset().to_string();
        for (key, value) in [
            ("evcat.finding.kind", report.kind),
            ("evcat.finding.message", report.message),
            ("evcat.source.topic", record.topic()),
            ("evcat.source.partition", partition.as_str()),
            ("evcat.source.offset", offset.as_str()),
        ] {
            headers = headers.insert(Header {
                key,
                value: Some(value),
            });
        }
        let mut sent = BaseRecord::<[u8], [u8]>::to(topic).headers(headers);
        if let Some(key) = record.key() {
            sent = sent.key(key);
        }
        if let Some(value) = record.payload() {
            sent = sent.payload(value);
        }
        send(producer, sent)
    }

    /// Writes out everything reported so far and waits until the brokers
    /// have it: only then may the offsets it covers be committed.
    pub fn flush(&mut self) -> Result<(), String> {
        self.stdout
            .flush()
            .map_err(|error| format!("standard output: {error}"))?;
        if let Some(producer) = &self.producer {
            producer
                .flush(FLUSH_TIMEOUT)
                .map_err(|error| format!("findings not acknowledged by the brokers: {error}"))?;
        }
        let failed = self
            .deliveries
            .failed
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        match failed.as_ref() {
            Some(failure) => Err(failure.clone()),
            None => Ok(()),
        }
    }
}

/// Sends a record, waiting for room in the producer's queue when it is full.
fn send(
    producer: &BaseProducer<Deliveries>,
    mut record: BaseRecord<'_, [u8], [u8]>,
) -> Result<(), String> {
    loop {
        match producer.send(record) {
            Ok(()) => {
                producer.poll(Duration::ZERO);
                return Ok(());
            }
            Err((
                rdkafka::error::KafkaError::MessageProduction(
                    rdkafka::types::RDKafkaErrorCode::QueueFull,
                ),
                back,
            )) => {
                record = back;
                producer.poll(Duration::from_millis(50));
            }
            Err((error, back)) => {
                return Err(format!(
                    "could not write to topic `{}`: {error}",
                    back.topic
                ));
            }
        }
    }
}
