//! Typed indices into the world's entity tables.
//!
//! Entities live in `Vec`s and refer to each other by index; a newtype per table stops a target
//! group index from being used as an instance index. Names stay in the specs, for reports only.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, for table lookups.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A client (traffic source).
    ClientId
);
id_type!(
    /// A listener of the load balancer.
    ListenerId
);
id_type!(
    /// A target group.
    TargetGroupId
);
id_type!(
    /// An EC2 instance (a target).
    InstanceId
);
id_type!(
    /// A precomputed route (the action a request type's rules lead to).
    RouteId
);
id_type!(
    /// A registered target of one target group (an index into its members).
    MemberId
);
id_type!(
    /// A closed-loop user of a client.
    UserId
);
id_type!(
    /// One load balancer node's health checker of one registered target.
    CheckerId
);
id_type!(
    /// An injected fault of the model (`faults[]`).
    FaultId
);
id_type!(
    /// A scheduled register/deregister operation of the model (`operations[]`).
    OperationId
);

impl UserId {
    /// No user: an open-loop request.
    pub const NONE: UserId = UserId(u32::MAX);
}

impl TargetGroupId {
    /// Not forwarded to a target group (yet).
    pub const NONE: TargetGroupId = TargetGroupId(u32::MAX);
}

// Auto Scaling and CloudWatch tables (`world/autoscaling/`, `world/cloudwatch/`).
id_type!(
    /// An Auto Scaling group (an index into the model's `auto_scaling_groups`).
    AsgId
);
id_type!(
    /// An instance of one Auto Scaling group, in launch order (an index into its members).
    AsgMemberId
);
id_type!(
    /// A scaling policy of one Auto Scaling group (`PutScalingPolicy`), in the group's order.
    PolicyId
);
id_type!(
    /// A scheduled action of one Auto Scaling group (`PutScheduledUpdateGroupAction`).
    ScheduledActionId
);
id_type!(
    /// A CloudWatch alarm (user-defined, or managed by a target tracking policy).
    AlarmId
);
id_type!(
    /// A CloudWatch metric some alarm reads, as registered in the run's metric store.
    MetricId
);

// SQS and SNS tables (`world/sqs/`).
id_type!(
    /// An SQS queue (an index into the model's `queues`).
    QueueId
);
id_type!(
    /// An SNS topic (an index into the model's `topics`).
    TopicId
);
id_type!(
    /// An open-loop message producer (an index into the model's `producers`).
    ProducerId
);
id_type!(
    /// A worker program (an index into the model's `consumers`).
    ConsumerId
);
