CREATE TABLE `faces` (
	`id` text PRIMARY KEY NOT NULL,
	`asset_id` text NOT NULL,
	`person_id` text,
	`assigned_by` text,
	`rejected` integer DEFAULT false NOT NULL,
	`clustered` integer DEFAULT false NOT NULL,
	`x` real NOT NULL,
	`y` real NOT NULL,
	`width` real NOT NULL,
	`height` real NOT NULL,
	`landmarks` text NOT NULL,
	`score` real NOT NULL,
	`embedding` blob NOT NULL,
	`thumbnail_path` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `faces_asset_idx` ON `faces` (`asset_id`);--> statement-breakpoint
CREATE INDEX `faces_person_idx` ON `faces` (`person_id`);--> statement-breakpoint
CREATE INDEX `faces_unclustered_idx` ON `faces` (`clustered`) WHERE clustered = 0;--> statement-breakpoint
CREATE TABLE `ml_state` (
	`asset_id` text NOT NULL,
	`task` text NOT NULL,
	`checksum` text NOT NULL,
	`model` text NOT NULL,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`asset_id`, `task`),
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`hidden` integer DEFAULT false NOT NULL,
	`cover_face_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `smart_embeddings` (
	`row_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`asset_id` text NOT NULL,
	`model` text NOT NULL,
	`embedding` blob NOT NULL,
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `smart_embeddings_asset_idx` ON `smart_embeddings` (`asset_id`);