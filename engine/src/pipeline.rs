//! A prepared service plan that only filters and computes fields, run as a straight chain of
//! DataFusion's physical expressions over the call's one batch. Such plans are the common
//! request/response case; executing them without streams, tasks or partitions removes most
//! of a small call's cost while the expressions (functions, coercions, null rules) stay
//! exactly those the planner produced.

use std::sync::Arc;

use datafusion::arrow::compute::filter_record_batch;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::cast::as_boolean_array;
use datafusion::error::Result;
use datafusion::physical_expr::projection::Projector;
use datafusion::physical_plan::coalesce_partitions::CoalescePartitionsExec;
use datafusion::physical_plan::coop::CooperativeExec;
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::repartition::RepartitionExec;
use datafusion::physical_plan::streaming::StreamingTableExec;
use datafusion::physical_plan::{ExecutionPlan, PhysicalExpr};

use crate::tap::TapExec;

enum Step {
    /// Keep the rows where the predicate is true, then keep these columns (if any).
    Filter {
        predicate: Arc<dyn PhysicalExpr>,
        columns: Option<Arc<[usize]>>,
    },
    Project(Projector),
    Columns(Arc<[usize]>),
}

/// The chain of steps from the call's batch to the service's output.
pub struct Pipeline {
    steps: Vec<Step>,
}

impl Pipeline {
    /// The plan as a chain, or `None` when it holds anything besides filters, projections and
    /// operators that only move batches around (sorts, joins, aggregates, limits run as plans).
    pub fn from_plan(plan: &Arc<dyn ExecutionPlan>) -> Option<Self> {
        let mut steps = Vec::new();
        let mut node = plan.clone();
        loop {
            let next = if let Some(table) = node.downcast_ref::<StreamingTableExec>() {
                if table.limit().is_some() {
                    return None;
                }
                if let Some(columns) = table.projection() {
                    steps.push(Step::Columns(columns.clone()));
                }
                steps.reverse();
                return Some(Self { steps });
            } else if let Some(filter) = node.downcast_ref::<FilterExec>() {
                if filter.fetch().is_some() {
                    return None;
                }
                let columns = filter.projection().clone();
                steps.push(Step::Filter { predicate: filter.predicate().clone(), columns });
                filter.input().clone()
            } else if let Some(projection) = node.downcast_ref::<ProjectionExec>() {
                let input = projection.input().clone();
                steps.push(Step::Project(projection.projection_expr().make_projector(&input.schema()).ok()?));
                input
            } else if moves_batches_only(&node) {
                node.children().first().map(|child| (*child).clone())?
            } else {
                return None;
            };
            node = next;
        }
    }

    pub fn run(&self, batch: RecordBatch) -> Result<RecordBatch> {
        self.steps.iter().try_fold(batch, |batch, step| match step {
            Step::Filter { predicate, columns } => {
                let mask = predicate.evaluate(&batch)?.into_array(batch.num_rows())?;
                let kept = filter_record_batch(&batch, as_boolean_array(&mask)?)?;
                match columns {
                    Some(columns) => Ok(kept.project(columns)?),
                    None => Ok(kept),
                }
            }
            Step::Project(projector) => projector.project_batch(&batch),
            Step::Columns(columns) => Ok(batch.project(columns)?),
        })
    }
}

/// Operators that pass every row through unchanged, only regrouping batches or partitions, or
/// counting rows (a service call's rows are not metered per port).
fn moves_batches_only(node: &Arc<dyn ExecutionPlan>) -> bool {
    let kind = node.is::<CoalescePartitionsExec>()
        || node.is::<RepartitionExec>()
        || node.is::<CooperativeExec>()
        || node.is::<TapExec>();
    kind && node.fetch().is_none() && node.children().len() == 1
}
