-- An app's settings as agent/set gives them, and its menu (menu/create).
-- logo_media_id: a permanent image (media/uploadimg kind) served at /media/img/<id>; '' none.
-- report_location_flag: 0 no location reports, 1 on entering the app's conversation.
-- menu: the menu's buttons as normalised JSON ({"button":[...]}); '' when none is set.
ALTER TABLE apps ADD COLUMN logo_media_id TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN redirect_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN home_url TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN report_location_flag INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN report_enter INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN report_user INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN menu TEXT NOT NULL DEFAULT '';
