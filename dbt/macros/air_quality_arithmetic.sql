{#-
  Exact decimal arithmetic for the air-quality engine (〔2015〕126号 / 144号), with standard SQL only.
  Why: DuckDB (like most engines) turns DECIMAL / DECIMAL into DOUBLE, and money computed from a binary
  float can be off by one 万元 at a boundary (e.g. an index exactly 0.13 above the mean). These macros
  scale decimals to integers and divide integers whose quotient is exact, so every step is exact.
-#}

{#- The integer a decimal expression becomes when multiplied by 10^scale (exact when it has ≤ scale decimals). -#}
{% macro aq_scaled_integer(expression, scale) -%}
    cast(({{ expression }}) * {{ 10 ** scale }} as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- floor(a / b) for integers a ≥ 0, b > 0: (a - mod(a, b)) is a multiple of b, so the division is exact. -#}
{% macro aq_floor_div(a, b) -%}
    cast((({{ a }}) - mod({{ a }}, {{ b }})) / ({{ b }}) as {{ dbt.type_bigint() }})
{%- endmacro %}

{#-
  numerator / denominator rounded half away from zero to `scale` decimals, as decimal(18, scale).
  Both must be exact with `input_scale` decimals; denominator > 0.
-#}
{% macro aq_exact_quotient(numerator, denominator, input_scale, scale) -%}
    {%- set a = "abs(" ~ aq_scaled_integer(numerator, input_scale) ~ ") * " ~ (10 ** scale) -%}
    {%- set b = aq_scaled_integer(denominator, input_scale) -%}
    (
        case when ({{ numerator }}) < 0 then -1 else 1 end
        * {{ aq_floor_div("2 * " ~ a ~ " + " ~ b, "2 * " ~ b) }}
        * cast({{ "%.*f" | format(scale, 10 ** (0 - scale)) }} as decimal(18, {{ scale }}))
    )
{%- endmacro %}

{#- A decimal as text without trailing zeros (50.0000 → 50, 0.1370 → 0.137), for the Chinese reason sentences. -#}
{% macro aq_number_text(expression, scale=4) -%}
    case
        when ({{ expression }}) is null then null
        when ({{ expression }}) = 0 then '0'
        else rtrim(rtrim(cast(cast({{ expression }} as decimal(18, {{ scale }})) as {{ dbt.type_string() }}), '0'), '.')
    end
{%- endmacro %}

{#-
  Exact comparison of two year-on-year decline rates (prev − cur) / prev without dividing:
  rate(a) > rate(b)  ⇔  (a.prev − a.cur) · b.prev > (b.prev − b.cur) · a.prev   (prev > 0).
  `op` is the comparison (>, =).
-#}
{% macro aq_compare_decline(a, b, op) -%}
    ({{ a }}.previous_year_index - {{ a }}.composite_index) * {{ b }}.previous_year_index
        {{ op }} ({{ b }}.previous_year_index - {{ b }}.composite_index) * {{ a }}.previous_year_index
{%- endmacro %}

{#- An integer expression as text. -#}
{% macro aq_int_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}
