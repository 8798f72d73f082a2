CREATE TABLE `assets` (
	`id` text PRIMARY KEY NOT NULL,
	`root_id` text NOT NULL,
	`path` text NOT NULL,
	`dir` text NOT NULL,
	`file_name` text NOT NULL,
	`size` integer NOT NULL,
	`mtime_ms` integer NOT NULL,
	`checksum` text NOT NULL,
	`type` text NOT NULL,
	`format` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`error` text,
	`offline` integer DEFAULT false NOT NULL,
	`visibility` text DEFAULT 'timeline' NOT NULL,
	`taken_local` text,
	`taken_utc_ms` integer,
	`tz_offset_min` integer,
	`taken_source` text,
	`month` text,
	`width` integer,
	`height` integer,
	`orientation` integer,
	`duration` real,
	`is_favorite` integer DEFAULT false NOT NULL,
	`is_archived` integer DEFAULT false NOT NULL,
	`trashed_at` integer,
	`rating` integer,
	`description` text,
	`content_identifier` text,
	`live_photo_video_id` text,
	`motion_photo` integer DEFAULT false NOT NULL,
	`motion_video_offset` integer,
	`motion_video_length` integer,
	`duplicate_of` text,
	`sidecars` text DEFAULT '[]' NOT NULL,
	`sidecar_sig` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`root_id`) REFERENCES `library_roots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assets_path_idx` ON `assets` (`path`);--> statement-breakpoint
CREATE INDEX `assets_root_idx` ON `assets` (`root_id`);--> statement-breakpoint
CREATE INDEX `assets_checksum_idx` ON `assets` (`checksum`);--> statement-breakpoint
CREATE INDEX `assets_timeline_idx` ON `assets` (`month`,`taken_utc_ms`) WHERE month IS NOT NULL;--> statement-breakpoint
CREATE INDEX `assets_taken_idx` ON `assets` (`taken_utc_ms`);--> statement-breakpoint
CREATE INDEX `assets_cid_idx` ON `assets` (`content_identifier`) WHERE content_identifier IS NOT NULL;--> statement-breakpoint
CREATE TABLE `exif` (
	`asset_id` text PRIMARY KEY NOT NULL,
	`make` text,
	`model` text,
	`lens` text,
	`f_number` real,
	`exposure_time` text,
	`iso` integer,
	`focal_length` real,
	`latitude` real,
	`longitude` real,
	`altitude` real,
	`video_codec` text,
	`file_type` text,
	`mime_type` text,
	`keywords` text DEFAULT '[]' NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`lane` text NOT NULL,
	`payload` text NOT NULL,
	`asset_id` text,
	`dedupe_key` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`rerun` integer DEFAULT false NOT NULL,
	`max_attempts` integer NOT NULL,
	`run_after_ms` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe_idx` ON `jobs` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`lane`,`state`,`run_after_ms`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_asset_idx` ON `jobs` (`asset_id`);--> statement-breakpoint
CREATE INDEX `jobs_failed_idx` ON `jobs` (`state`,`finished_at`) WHERE state = 'failed';--> statement-breakpoint
CREATE TABLE `lane_state` (
	`lane` text PRIMARY KEY NOT NULL,
	`paused` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `library_roots` (
	`id` text PRIMARY KEY NOT NULL,
	`path` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_scan_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `library_roots_path_unique` ON `library_roots` (`path`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
