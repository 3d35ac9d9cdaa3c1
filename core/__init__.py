"""What every PST Flow process shares: settings, database, models, enums, reference data."""
