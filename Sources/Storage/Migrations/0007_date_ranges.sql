-- Dates are calendar dates from 1900-01-01 to 2199-12-31 (DESIGN.md section 5): checked
-- where they enter (the API's request bodies and parameters, CSV imports) and here, so that
-- no stored value can make a later request fail (an analyst's period in 9999 once made
-- every portfolio read trap).
--
-- What is stored already is not repaired by guessing: a row out of range stops this
-- migration with PostgreSQL's "check constraint <table>_<column>_range is violated by some
-- row"; correct those rows by hand, then migrate again.
DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT * FROM (VALUES
            ('grant_awards', 'awarded_on'), ('enrollments', 'joined_on'), ('invoices', 'issued_on'),
            ('invoices', 'due_on'), ('payments', 'received_on'), ('credit_notes', 'issued_on'),
            ('data_points', 'period'), ('data_point_revisions', 'period'), ('meetings', 'held_on'),
            ('action_items', 'due_on')
        ) AS t(table_name, column_name)
    LOOP
        EXECUTE format(
            'ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I BETWEEN date %L AND date %L)',
            target.table_name, target.table_name || '_' || target.column_name || '_range', target.column_name,
            '1900-01-01', '2199-12-31'
        );
    END LOOP;
END $$;
