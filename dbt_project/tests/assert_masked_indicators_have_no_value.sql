-- A masked figure (x, xx, *) has no number: guessing one would invent data.

select indicator_id, quantity_text, value, value_low, value_high
from {{ rows_built_now(ref('fct_indicators')) }}
where is_masked
    and (value is not null or value_low is not null or value_high is not null)
