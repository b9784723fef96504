//! The SQS queues and SNS topics as a CloudWatch metric source: `AWS/SQS` metrics with the
//! dimension `QueueName` (gauges such as `ApproximateNumberOfMessagesVisible` at the period's end,
//! counts such as `NumberOfMessagesSent` over it) and `AWS/SNS` `NumberOfMessagesPublished` and
//! `NumberOfNotificationsDelivered` with the dimension `TopicName`, published once per metric
//! period from the messaging engine's values of the period just closed.

use super::metric::{Dimension, MetricName};
use crate::model::cloudwatch::{SnsMetric, SqsMetric};
use crate::model::world::World;
use crate::model::world::sqs::{QueueMetric, TopicMetric};

/// The engine's name for a queue metric.
fn queue_metric(m: SqsMetric) -> QueueMetric {
    match m {
        SqsMetric::Visible => QueueMetric::Visible,
        SqsMetric::NotVisible => QueueMetric::NotVisible,
        SqsMetric::Delayed => QueueMetric::Delayed,
        SqsMetric::AgeOfOldestMessage => QueueMetric::AgeOfOldest,
        SqsMetric::Sent => QueueMetric::Sent,
        SqsMetric::Received => QueueMetric::Received,
        SqsMetric::Deleted => QueueMetric::Deleted,
        SqsMetric::EmptyReceives => QueueMetric::EmptyReceives,
    }
}

/// The engine's name for a topic metric.
fn topic_metric(m: SnsMetric) -> TopicMetric {
    match m {
        SnsMetric::Published => TopicMetric::Published,
        SnsMetric::Delivered => TopicMetric::Delivered,
    }
}

impl World<'_> {
    /// Publishes the queues' and topics' metrics of the period just closed.
    pub(in crate::model::world) fn publish_messaging_metrics(&mut self) {
        for i in 0..self.cloudwatch.metrics.len() {
            let id = crate::model::ids::MetricId(i as u32);
            let key = self.cloudwatch.metrics.key(id);
            let value = match (key.name, key.dimension) {
                (MetricName::Sqs(m), Dimension::Queue(q)) => {
                    self.sqs.queue_metric(q, queue_metric(m))
                }
                (MetricName::Sns(m), Dimension::Topic(t)) => {
                    self.sqs.topic_metric(t, topic_metric(m))
                }
                _ => continue,
            };
            self.cloudwatch.metrics.publish(id, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_maps_to_the_engine_metric_of_the_same_name() {
        // The engine's names drop the AWS prefixes; each AWS metric has its own engine metric.
        let mut seen = Vec::new();
        for m in SqsMetric::ALL {
            let q = queue_metric(m);
            assert!(!seen.contains(&q), "{} shares an engine metric", m.name());
            seen.push(q);
        }
        assert_eq!(queue_metric(SqsMetric::Visible), QueueMetric::Visible);
        assert_eq!(
            queue_metric(SqsMetric::AgeOfOldestMessage),
            QueueMetric::AgeOfOldest
        );
        assert_eq!(topic_metric(SnsMetric::Delivered), TopicMetric::Delivered);
        assert_ne!(topic_metric(SnsMetric::Published), TopicMetric::Delivered);
    }
}
