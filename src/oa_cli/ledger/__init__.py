"""The SQLite ledger: schema, connection, queries and the hash-chained journal."""
