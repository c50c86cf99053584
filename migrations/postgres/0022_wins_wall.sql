-- Whether the couple's partners see the small wins wall: 'on' or 'off' as their counselor
-- set it, or null to follow the practice (open from the program step it chooses).
alter table couple add column wins_wall text check (wins_wall in ('on', 'off'));
