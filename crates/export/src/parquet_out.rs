//! `runs.parquet` and `threats.parquet` of a campaign (cargo feature `parquet`, off by default): the
//! columns of `runs.csv` and `threats.csv`, typed (UInt64/UInt32, Float64, Utf8; "never" is null),
//! Snappy-compressed, for pandas (`pd.read_parquet`) and DuckDB (`SELECT * FROM 'threats.parquet'`).

use crate::campaign_out::CampaignFileError;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_schema::{Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use shieldnet_sim::campaign::CampaignResults;
use std::path::Path;
use std::sync::Arc;

type Columns = Vec<(String, ArrayRef)>;

fn write(path: &Path, cols: Columns) -> Result<(), CampaignFileError> {
    let err =
        |e: &dyn std::fmt::Display| CampaignFileError { path: path.to_path_buf(), message: e.to_string() };
    let schema = Arc::new(Schema::new(
        cols.iter()
            .map(|(n, a)| Field::new(n, a.data_type().clone(), a.null_count() > 0))
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(schema.clone(), cols.into_iter().map(|(_, a)| a).collect())
        .map_err(|e| err(&e))?;
    let file = std::fs::File::create(path).map_err(|e| err(&e))?;
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut w = ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| err(&e))?;
    w.write(&batch).map_err(|e| err(&e))?;
    w.close().map_err(|e| err(&e))?;
    Ok(())
}

fn u64s(v: impl Iterator<Item = u64>) -> ArrayRef {
    Arc::new(UInt64Array::from(v.collect::<Vec<_>>()))
}
fn u32s(v: impl Iterator<Item = u32>) -> ArrayRef {
    Arc::new(UInt32Array::from(v.collect::<Vec<_>>()))
}
fn f64s(v: impl Iterator<Item = Option<f64>>) -> ArrayRef {
    Arc::new(Float64Array::from(v.collect::<Vec<_>>()))
}
fn strs<'a>(v: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    Arc::new(StringArray::from(v.collect::<Vec<_>>()))
}

/// Writes `runs.parquet` and `threats.parquet` into `dir`.
pub fn write_campaign_parquet(dir: &Path, res: &CampaignResults) -> Result<(), CampaignFileError> {
    let parties = &res.manifest.parties;
    let r = &res.runs;
    let mut cols: Columns = vec![
        ("combination".into(), u64s(r.iter().map(|x| x.combination as u64))),
        ("run".into(), u64s(r.iter().map(|x| x.run))),
        ("threats".into(), u32s(r.iter().map(|x| x.threats))),
        ("leakers".into(), u32s(r.iter().map(|x| x.leakers))),
        ("intercepted".into(), u32s(r.iter().map(|x| x.intercepted))),
        ("in_flight".into(), u32s(r.iter().map(|x| x.in_flight))),
        ("interceptors_spent".into(), u32s(r.iter().map(|x| x.interceptors_spent))),
    ];
    for (p, id) in parties.iter().enumerate() {
        cols.push((format!("spent_{id}"), u32s(r.iter().map(|x| x.spent_by_party[p]))));
    }
    cols.push(("double_engagements".into(), u32s(r.iter().map(|x| x.double_engagements))));
    write(&dir.join("runs.parquet"), cols)?;

    let t = &res.threats;
    let mut cols: Columns = vec![
        ("combination".into(), u64s(t.iter().map(|x| x.combination as u64))),
        ("run".into(), u64s(t.iter().map(|x| x.run))),
        ("threat".into(), strs(t.iter().map(|x| Some(x.threat.as_str())))),
        ("raid".into(), strs(t.iter().map(|x| Some(x.raid.as_str())))),
        ("launch_time_s".into(), f64s(t.iter().map(|x| Some(x.launch_time_s)))),
        ("impact_time_s".into(), f64s(t.iter().map(|x| Some(x.impact_time_s)))),
        (
            "outcome".into(),
            strs(t.iter().map(|x| {
                Some(match x.outcome {
                    shieldnet_sim::report::Outcome::Intercepted => "intercepted",
                    shieldnet_sim::report::Outcome::Leaked => "leaked",
                    shieldnet_sim::report::Outcome::InFlight => "in_flight",
                })
            })),
        ),
        ("intercepted_by".into(), strs(t.iter().map(|x| x.intercepted_by.as_deref()))),
        ("intercept_time_s".into(), f64s(t.iter().map(|x| x.intercept_time_s))),
        ("asset_hit".into(), strs(t.iter().map(|x| x.asset_hit.as_deref()))),
        ("interceptors_fired".into(), u32s(t.iter().map(|x| x.interceptors_fired))),
    ];
    for (p, id) in parties.iter().enumerate() {
        cols.push((format!("fired_{id}"), u32s(t.iter().map(|x| x.fired_by_party[p]))));
    }
    for (prefix, pick) in [
        (
            "first_detection_s",
            (|x: &shieldnet_sim::campaign::ThreatRow, p: usize| x.first_detection_s[p])
                as fn(&_, usize) -> Option<f64>,
        ),
        ("first_own_track_s", |x, p| x.first_own_track_s[p]),
        ("first_picture_s", |x, p| x.first_picture_s[p]),
    ] {
        for (p, id) in parties.iter().enumerate() {
            cols.push((format!("{prefix}_{id}"), f64s(t.iter().map(|x| pick(x, p)))));
        }
    }
    write(&dir.join("threats.parquet"), cols)
}
