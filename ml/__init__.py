"""Training and statistics code the dbt Python models call: pure functions, DataFrame in, DataFrame out."""
