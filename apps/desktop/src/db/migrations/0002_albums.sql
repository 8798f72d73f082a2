CREATE TABLE `album_assets` (
	`album_id` text NOT NULL,
	`asset_id` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`album_id`, `asset_id`),
	FOREIGN KEY (`album_id`) REFERENCES `albums`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `album_assets_asset_idx` ON `album_assets` (`asset_id`);--> statement-breakpoint
CREATE TABLE `albums` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`cover_asset_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cover_asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `albums_cover_idx` ON `albums` (`cover_asset_id`) WHERE cover_asset_id IS NOT NULL;--> statement-breakpoint
DROP INDEX `assets_timeline_idx`;--> statement-breakpoint
CREATE INDEX `assets_visible_idx` ON `assets` (`month`,`is_archived`,`taken_utc_ms`,`id`,`is_favorite`,`type`) WHERE visibility = 'timeline' AND duplicate_of IS NULL AND trashed_at IS NULL AND status != 'failed' AND month IS NOT NULL;--> statement-breakpoint
CREATE INDEX `assets_trash_idx` ON `assets` (`month`,`taken_utc_ms`,`id`) WHERE trashed_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `assets_dir_idx` ON `assets` (`dir`);--> statement-breakpoint
CREATE INDEX `assets_duplicate_idx` ON `assets` (`duplicate_of`) WHERE duplicate_of IS NOT NULL;--> statement-breakpoint
CREATE INDEX `jobs_finished_idx` ON `jobs` (`finished_at`,`lane`) WHERE finished_at IS NOT NULL;