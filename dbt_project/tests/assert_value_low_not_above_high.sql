-- A range never runs backwards, and a single value sits inside its own bounds.

select indicator_id, quantity_text, value, value_low, value_high
from {{ rows_built_now(ref('fct_indicators')) }}
where value_low > value_high
    or value < value_low
    or value > value_high
