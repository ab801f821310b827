//! The `evcat` command line; the work is done by the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "evcat",
    version,
    about = "Typed events, schemas and declarations from a Markdown event catalog"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write every output for a catalog into a folder.
    Generate {
        #[command(flatten)]
        inputs: Inputs,
        /// The output folder: `rust/events.rs`, `schemas/` and `typescript/` are written inside it.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Run every check on a catalog and write nothing.
    Check {
        #[command(flatten)]
        inputs: Inputs,
    },
}

#[derive(Args)]
struct Inputs {
    /// The catalog (catalog.md).
    #[arg(long, value_name = "FILE")]
    catalog: PathBuf,
    /// The envelope's JSON Schema [default: envelope.schema.json beside the catalog].
    #[arg(long, value_name = "FILE")]
    envelope: Option<PathBuf>,
    /// The data model [default: data-model.md beside the catalog, if present].
    #[arg(long, value_name = "FILE")]
    data_model: Option<PathBuf>,
}

impl Inputs {
    fn builder(&self) -> evcat::Builder {
        let mut builder = evcat::Builder::new(&self.catalog);
        if let Some(envelope) = &self.envelope {
            builder = builder.envelope(envelope);
        }
        if let Some(data_model) = &self.data_model {
            builder = builder.data_model(data_model);
        }
        builder
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate { inputs, out } => inputs.builder().generate().and_then(|generated| {
            eprint!("{}", generated.warnings);
            let written = generated.write_all(out)?;
            for path in written {
                println!("wrote {}", path.display());
            }
            Ok(())
        }),
        Command::Check { inputs } => inputs.builder().compile().map(|compiled| {
            eprint!("{}", compiled.warnings);
            let events = compiled.catalog.events().count();
            let families = compiled.catalog.families.len();
            println!(
                "{}: {events} events in {families} families, no errors",
                inputs.catalog.display()
            );
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
