{% test unique_combination_of_columns(model, combination_of_columns) %}
{#- Rows whose combination of the given columns is not unique (as dbt_utils' test of the
    same name, kept in the project so `dbt parse` needs no packages). -#}
select {{ combination_of_columns | join(', ') }}, count(*) as rows_with_the_key
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
