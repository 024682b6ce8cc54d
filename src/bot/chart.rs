//! PNG charts for admin reports, drawn with plotters in memory (no system fonts: DejaVu Sans is
//! embedded). Heights are whole cents: no float touches money.

use crate::domain::UsdCents;
use plotters::prelude::*;
use std::sync::Once;

const WIDTH: u32 = 900;
const HEIGHT: u32 = 450;
pub const BAR_COLOR: RGBColor = RGBColor(37, 99, 235);
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_err() {
            tracing::error!("the embedded chart font did not load");
        }
    });
}

/// A bar chart of amounts per bucket, labelled below, as a PNG.
pub fn bars(title: &str, labels: &[String], values: &[UsdCents]) -> Result<Vec<u8>, String> {
    register_font();
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = values.iter().map(|v| v.0).max().unwrap_or(0).max(100);
        let top = top + top / 8;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(
                (0..values.len().saturating_sub(1)).into_segmented(),
                0i64..top,
            )
            .map_err(|e| e.to_string())?;
        let every = values.len().div_ceil(15).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .x_labels(values.len())
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) if i % every == 0 => {
                    labels.get(*i).cloned().unwrap_or_default()
                }
                _ => String::new(),
            })
            .y_label_formatter(&|cents| format!("${}", UsdCents(*cents)))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(BAR_COLOR.filled())
                    .margin(3)
                    .data(values.iter().enumerate().map(|(i, v)| (i, v.0))),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(png)
}
