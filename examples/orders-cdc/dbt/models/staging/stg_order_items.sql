{{ config(materialized='incremental', incremental_strategy='merge', unique_key=['order_item_id']) }}

with changes as (
    select *,
        row_number() over (partition by order_item_id order by cdc_lsn desc) as rank_in_item
    from {{ source('orders_cdc', 'raw_order_items_cdc') }}
    {% if is_incremental() %}
    where cdc_source_ts > (select max(updated_at) - interval 3 day from {{ this }})
    {% endif %}
)
select order_item_id, order_id, sku, quantity, unit_price, updated_at, cdc_op = 'd' as is_deleted
from changes
where rank_in_item = 1
