{{ config(materialized='incremental', incremental_strategy='merge', unique_key=['order_id']) }}

-- Latest state per order: the highest cdc_lsn wins; deletes are flagged, not dropped.
with changes as (
    select *,
        row_number() over (partition by order_id order by cdc_lsn desc) as rank_in_order
    from {{ source('orders_cdc', 'raw_orders_cdc') }}
    {% if is_incremental() %}
    where cdc_source_ts > (select max(updated_at) - interval 3 day from {{ this }})
    {% endif %}
)
select
    order_id, customer_id, status, total_amount, currency, created_at, updated_at,
    cdc_op = 'd' as is_deleted
from changes
where rank_in_order = 1
