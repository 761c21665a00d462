{#- A type-2 history is sound when no two versions of one natural key are valid on the same day. -#}
{% test versions_do_not_overlap(model, key='org_id', start='valid_from', finish='valid_to') %}
select a.{{ key }}, a.{{ start }}, b.{{ start }} as other_start
from {{ model }} as a
inner join {{ model }} as b
    on a.{{ key }} = b.{{ key }}
    and a.{{ start }} < b.{{ start }}
    and b.{{ start }} <= a.{{ finish }}
{% endtest %}
