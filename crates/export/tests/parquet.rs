//! With the `parquet` feature: campaign directories also hold runs.parquet and threats.parquet with
//! the CSV's columns and rows.
#![cfg(feature = "parquet")]

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use shieldnet_sim::campaign::{CampaignPlan, run_campaign};
use shieldnet_sim::scenario::load_builtin;

#[test]
fn parquet_files_hold_the_rows() {
    let plan = CampaignPlan::new(load_builtin("two-radars-one-threat").unwrap(), None, 3, vec![]).unwrap();
    let res = run_campaign(&plan, None, 1, &|| {}).unwrap();
    let dir = std::env::temp_dir().join(format!("shieldnet-parquet-{}", std::process::id()));
    shieldnet_export::campaign_out::write_campaign_dir(&dir, &res).unwrap();
    for (file, rows, col) in [
        ("runs.parquet", res.runs.len(), "spent_BLUE"),
        ("threats.parquet", res.threats.len(), "first_picture_s_BLUE"),
    ] {
        let f = std::fs::File::open(dir.join(file)).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(f).unwrap().build().unwrap();
        let batches: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
        assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), rows);
        assert!(batches[0].schema().field_with_name(col).is_ok(), "{file} has no {col}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
