//! Services answered from a plan prepared once per exposed version: the `input` stage reads the
//! call's records from the task it runs in, so a call only converts its rows, executes the
//! cached physical plan and converts the result — no parsing, planning or optimising.
//!
//! A plan that only filters and computes fields runs as a [`Pipeline`] of expressions.
//!
//! Dataflows with stages that gather their input while compiling (`match`, `parse_address`)
//! or embed subflows are compiled per call instead.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::execution::runtime_env::RuntimeEnv;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::execution_plan::reset_plan_states;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::physical_plan::{ExecutionPlan, collect};
use datafusion::prelude::SessionConfig;
use model::DataflowDocument;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::Engine;
use crate::api::{batches_to_json, input_stage, raw_rows_to_batch};
use crate::compile::{Inputs, Purpose, SubflowSource, compile_with};
use crate::error::{EngineError, EngineResult};
use crate::pipeline::Pipeline;

/// The records of one call, handed to the plan through its task's configuration.
#[derive(Debug)]
struct CallRows(RecordBatch);

#[derive(Debug)]
struct CallInput {
    schema: SchemaRef,
}

impl PartitionStream for CallInput {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let batch = ctx
            .session_config()
            .get_extension::<CallRows>()
            .map(|rows| rows.0.clone())
            .unwrap_or_else(|| RecordBatch::new_empty(self.schema.clone()));
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), futures::stream::iter([Ok(batch)])))
    }
}

pub struct PreparedService {
    plan: Arc<dyn ExecutionPlan>,
    /// The plan as a chain of expressions, when it is one (see [`Pipeline`]).
    pipeline: Option<Pipeline>,
    input_stage: String,
    schema: SchemaRef,
    config: SessionConfig,
    runtime: Arc<RuntimeEnv>,
}

/// Whether `doc` can be prepared once (see the module note).
pub fn preparable(doc: &DataflowDocument) -> bool {
    !doc.stages.iter().any(|s| matches!(s.stage_type.as_str(), "match" | "parse_address" | "subflow"))
}

impl PreparedService {
    pub async fn prepare(
        engine: &Engine,
        doc: &DataflowDocument,
        parameters: &BTreeMap<String, Value>,
        subflows: &dyn SubflowSource,
    ) -> EngineResult<Self> {
        let (stage, schema) = input_stage(doc)?;
        let ctx = engine.session();
        let source = Arc::new(CallInput { schema: schema.clone() });
        let table = StreamingTable::try_new(schema.clone(), vec![source])
            .map_err(|e| EngineError::from_datafusion(Some(&stage.id), e))?;
        let frame =
            ctx.read_table(Arc::new(table)).map_err(|e| EngineError::from_datafusion(Some(&stage.id), e))?;
        let inputs = Inputs::from([(stage.id.clone(), frame)]);
        // `Check`: nothing runs while compiling; every call runs the whole plan.
        let compiled =
            compile_with(engine, ctx.clone(), doc, parameters, inputs, subflows, Purpose::Check).await?;
        if let Some(problem) = compiled.problems.into_iter().next() {
            return Err(problem);
        }
        let (output, df) = compiled
            .outputs
            .into_iter()
            .next()
            .ok_or_else(|| EngineError::user("", "the service has no output stage"))?;
        let plan =
            df.create_physical_plan().await.map_err(|e| EngineError::from_datafusion(Some(&output), e))?;
        let plan = crate::sink::merged(plan);
        let state = ctx.state();
        Ok(Self {
            pipeline: Pipeline::from_plan(&plan),
            plan,
            input_stage: stage.id.clone(),
            schema,
            config: state.config().clone(),
            runtime: state.runtime_env().clone(),
        })
    }

    /// The physical plan, one operator per line (for logs and tests).
    pub fn explain(&self) -> String {
        datafusion::physical_plan::displayable(self.plan.as_ref()).indent(false).to_string()
    }

    /// Whether calls run as a chain of expressions rather than as a plan.
    pub fn is_pipeline(&self) -> bool {
        self.pipeline.is_some()
    }

    /// Answer one call: `rows` are the records as JSON objects; the answer is a JSON array
    /// (UTF-8).
    pub async fn call(&self, rows: &[Box<RawValue>]) -> EngineResult<Vec<u8>> {
        let batch = raw_rows_to_batch(&self.input_stage, self.schema.clone(), rows)?;
        let batches = match &self.pipeline {
            Some(pipeline) => vec![pipeline.run(batch).map_err(|e| EngineError::from_datafusion(None, e))?],
            None => self.execute(batch).await?,
        };
        batches_to_json(&batches)
    }

    async fn execute(&self, batch: RecordBatch) -> EngineResult<Vec<RecordBatch>> {
        let config = self.config.clone().with_extension(Arc::new(CallRows(batch)));
        // The plan's expressions hold their functions already; the task needs none by name.
        let task = TaskContext::new(
            None,
            String::new(),
            config,
            HashMap::new(),
            HashMap::new(),
            HashMap::new(),
            HashMap::new(),
            self.runtime.clone(),
        );
        // Operators that keep state between executions (a join's build side) start afresh.
        let plan = reset_plan_states(self.plan.clone()).map_err(|e| EngineError::from_datafusion(None, e))?;
        collect(plan, Arc::new(task)).await.map_err(|e| EngineError::from_datafusion(None, e))
    }
}
