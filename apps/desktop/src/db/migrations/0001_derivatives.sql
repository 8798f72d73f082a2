CREATE TABLE `derivatives` (
	`asset_id` text PRIMARY KEY NOT NULL,
	`thumbnail_path` text,
	`thumbnail_width` integer,
	`thumbnail_height` integer,
	`thumbnail_source` text,
	`thumbnail_checksum` text,
	`thumbnail_version` integer,
	`thumbnail_error` text,
	`preview_path` text,
	`preview_width` integer,
	`preview_height` integer,
	`preview_checksum` text,
	`preview_version` integer,
	`preview_error` text,
	`video_state` text,
	`video_path` text,
	`video_checksum` text,
	`video_version` integer,
	`video_error` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `assets` ADD `thumbhash` text;