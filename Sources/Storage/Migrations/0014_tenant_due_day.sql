-- A tenant's CEO chooses the day its data is due (migration 0013 added the column).
GRANT UPDATE (data_due_day) ON tenants TO mpmp_app;
