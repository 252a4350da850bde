-- Which container engine each Manager runs its employees' containers on (the engine's own ID), and when a Manager
-- of that engine removed a dead Manager's containers. A Manager reaches only its own engine: with several engines
-- (Managers on several machines), a dead Manager's containers are removed by a Manager of its engine, and the
-- dead Manager is forgotten only after that.
ALTER TABLE aura.managers ADD COLUMN engine text;
ALTER TABLE aura.managers ADD COLUMN reaped_at timestamptz;
ALTER TABLE aura.managers ADD COLUMN containers_removed integer;
