//! Row counting at stage boundaries. A `Tap` logical node wraps the plan of one port; its
//! physical form passes batches through untouched and adds their rows to a shared counter, so a
//! run's per-port row counts are exact, cheap, and readable while it runs.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use datafusion::catalog::Session;
use datafusion::common::DFSchemaRef;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::error::Result;
use datafusion::execution::context::QueryPlanner;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::logical_expr::{
    Expr, Extension, LogicalPlan, UserDefinedLogicalNode, UserDefinedLogicalNodeCore,
};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use datafusion::physical_planner::{DefaultPhysicalPlanner, ExtensionPlanner, PhysicalPlanner};
use futures::StreamExt;

/// Rows seen on one port, and when the first and last batch passed, shared between the plan
/// and whoever reports progress.
#[derive(Debug, Clone)]
pub struct Counter {
    /// `stage.port`.
    pub port: Arc<str>,
    state: Arc<CounterState>,
}

#[derive(Debug, Default)]
struct CounterState {
    rows: AtomicU64,
    /// Nanoseconds since [`epoch`], plus one (zero means "not yet").
    first: AtomicU64,
    last: AtomicU64,
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

impl Counter {
    pub fn new(port: impl Into<Arc<str>>) -> Self {
        Self { port: port.into(), state: Arc::default() }
    }

    pub fn rows(&self) -> u64 {
        self.state.rows.load(AtomicOrdering::Relaxed)
    }

    /// Time between the first and the last batch on this port.
    pub fn active(&self) -> Duration {
        let (first, last) =
            (self.state.first.load(AtomicOrdering::Relaxed), self.state.last.load(AtomicOrdering::Relaxed));
        if first == 0 { Duration::ZERO } else { Duration::from_nanos(last.saturating_sub(first)) }
    }

    fn add(&self, rows: usize) {
        let now = epoch().elapsed().as_nanos() as u64 + 1;
        let _ = self.state.first.compare_exchange(0, now, AtomicOrdering::Relaxed, AtomicOrdering::Relaxed);
        self.state.last.fetch_max(now, AtomicOrdering::Relaxed);
        self.state.rows.fetch_add(rows as u64, AtomicOrdering::Relaxed);
    }
}

/// Wrap `plan` so the rows it produces are counted by `counter`.
pub fn tap(plan: LogicalPlan, counter: Counter) -> LogicalPlan {
    LogicalPlan::Extension(Extension { node: Arc::new(TapNode { input: plan, counter }) })
}

#[derive(Debug, Clone)]
struct TapNode {
    input: LogicalPlan,
    counter: Counter,
}

// Identity is the port: two taps on the same port are the same node.
impl PartialEq for TapNode {
    fn eq(&self, other: &Self) -> bool {
        self.counter.port == other.counter.port && self.input == other.input
    }
}

impl Eq for TapNode {}

impl Hash for TapNode {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.counter.port.hash(state);
        self.input.hash(state);
    }
}

impl PartialOrd for TapNode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.counter.port.partial_cmp(&other.counter.port)
    }
}

impl UserDefinedLogicalNodeCore for TapNode {
    fn name(&self) -> &str {
        "Tap"
    }

    fn inputs(&self) -> Vec<&LogicalPlan> {
        vec![&self.input]
    }

    fn schema(&self) -> &DFSchemaRef {
        self.input.schema()
    }

    fn expressions(&self) -> Vec<Expr> {
        vec![]
    }

    fn fmt_for_explain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Tap: {}", self.counter.port)
    }

    /// A tap passes records through unchanged: the columns its parent needs are the columns it
    /// needs, so unused fields are never read (projection push-down through stage boundaries).
    fn necessary_children_exprs(&self, output_columns: &[usize]) -> Option<Vec<Vec<usize>>> {
        Some(vec![output_columns.to_vec()])
    }

    fn with_exprs_and_inputs(&self, _exprs: Vec<Expr>, mut inputs: Vec<LogicalPlan>) -> Result<Self> {
        let input = inputs
            .pop()
            .ok_or_else(|| datafusion::error::DataFusionError::Internal("Tap needs one input".into()))?;
        Ok(Self { input, counter: self.counter.clone() })
    }
}

#[derive(Debug)]
pub(crate) struct TapExec {
    input: Arc<dyn ExecutionPlan>,
    counter: Counter,
}

impl DisplayAs for TapExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "TapExec: {}", self.counter.port)
    }
}

impl ExecutionPlan for TapExec {
    fn name(&self) -> &str {
        "TapExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let input = children
            .pop()
            .ok_or_else(|| datafusion::error::DataFusionError::Internal("TapExec needs one input".into()))?;
        Ok(Arc::new(Self { input, counter: self.counter.clone() }))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let stream = self.input.execute(partition, context)?;
        let schema = stream.schema();
        let counter = self.counter.clone();
        let counted = stream.inspect(move |batch| {
            if let Ok(batch) = batch {
                counter.add(batch.num_rows());
            }
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, counted)))
    }
}

struct TapPlanner;

#[async_trait]
impl ExtensionPlanner for TapPlanner {
    async fn plan_extension(
        &self,
        _planner: &dyn PhysicalPlanner,
        node: &dyn UserDefinedLogicalNode,
        _logical_inputs: &[&LogicalPlan],
        physical_inputs: &[Arc<dyn ExecutionPlan>],
        _session: &dyn Session,
        _planning_ctx: &PhysicalPlanningContext,
    ) -> Result<Option<Arc<dyn ExecutionPlan>>> {
        let Some(tap) = node.as_any().downcast_ref::<TapNode>() else { return Ok(None) };
        let input = physical_inputs
            .first()
            .cloned()
            .ok_or_else(|| datafusion::error::DataFusionError::Internal("Tap without input".into()))?;
        Ok(Some(Arc::new(TapExec { input, counter: tap.counter.clone() })))
    }
}

/// The session's query planner: the default one plus taps.
#[derive(Debug)]
pub struct TapQueryPlanner;

#[async_trait]
impl QueryPlanner for TapQueryPlanner {
    async fn create_physical_plan(
        &self,
        logical_plan: &LogicalPlan,
        session: &dyn Session,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let planner = DefaultPhysicalPlanner::with_extension_planners(vec![Arc::new(TapPlanner)]);
        planner.create_physical_plan(logical_plan, session).await
    }
}
