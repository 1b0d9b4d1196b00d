//! Pixel formats (FourCC codes, as Zephyr's `VIDEO_PIX_FMT_*`), frame formats, and what a
//! driver can produce.

use core::fmt;

/// A pixel format: a FourCC code, as Zephyr's `VIDEO_PIX_FMT_*` macros define them.
///
/// ```no_run
/// use asyncio::camera::PixelFormat;
///
/// # fn f() {
/// assert_eq!(PixelFormat::RGB565, PixelFormat::from_fourcc(*b"RGBP"));
/// assert_eq!(alloc::format!("{}", PixelFormat::RGB565), "RGBP");
/// # }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PixelFormat(u32);

impl PixelFormat {
    /// 16-bit RGB, little endian (OpenMV's `RGB565`).
    pub const RGB565: PixelFormat = PixelFormat::from_fourcc(*b"RGBP");
    /// 16-bit RGB, big endian.
    pub const RGB565X: PixelFormat = PixelFormat::from_fourcc(*b"RGBR");
    /// 24-bit RGB.
    pub const RGB24: PixelFormat = PixelFormat::from_fourcc(*b"RGB3");
    /// 32-bit RGB with an unused byte.
    pub const XRGB32: PixelFormat = PixelFormat::from_fourcc(*b"BX24");
    /// YUV 4:2:2 (OpenMV's `YUV422`).
    pub const YUYV: PixelFormat = PixelFormat::from_fourcc(*b"YUYV");
    /// 8-bit grey (OpenMV's `GRAYSCALE`).
    pub const GREY: PixelFormat = PixelFormat::from_fourcc(*b"GREY");
    /// JPEG.
    pub const JPEG: PixelFormat = PixelFormat::from_fourcc(*b"JPEG");
    /// 8-bit Bayer, BGGR (OpenMV's `BAYER`).
    pub const SBGGR8: PixelFormat = PixelFormat::from_fourcc(*b"BA81");
    /// 8-bit Bayer, GBRG.
    pub const SGBRG8: PixelFormat = PixelFormat::from_fourcc(*b"GBRG");
    /// 8-bit Bayer, GRBG.
    pub const SGRBG8: PixelFormat = PixelFormat::from_fourcc(*b"GRBG");
    /// 8-bit Bayer, RGGB.
    pub const SRGGB8: PixelFormat = PixelFormat::from_fourcc(*b"RGGB");

    /// The format with this four-character code.
    ///
    /// ```no_run
    /// use asyncio::camera::PixelFormat;
    ///
    /// const MJPEG: PixelFormat = PixelFormat::from_fourcc(*b"MJPG");
    /// ```
    pub const fn from_fourcc(code: [u8; 4]) -> Self {
        PixelFormat(u32::from_le_bytes(code))
    }

    /// Zephyr's numeric value (`video_format.pixelformat`).
    ///
    /// ```no_run
    /// use asyncio::camera::PixelFormat;
    ///
    /// // C: VIDEO_PIX_FMT_RGB565, as a driver or a C caller hands it over
    /// const FROM_C: PixelFormat = PixelFormat::from_raw(0x5042_4752);
    /// const _: () = assert!(FROM_C.raw() == PixelFormat::RGB565.raw());
    /// ```
    pub const fn from_raw(value: u32) -> Self {
        PixelFormat(value)
    }

    /// Zephyr's numeric value.
    ///
    /// ```no_run
    /// use asyncio::camera::PixelFormat;
    ///
    /// const RGB565_VALUE: u32 = PixelFormat::RGB565.raw(); // as C's VIDEO_PIX_FMT_RGB565
    /// ```
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// The four-character code.
    ///
    /// ```no_run
    /// use asyncio::camera::PixelFormat;
    ///
    /// const _: () = assert!(matches!(PixelFormat::YUYV.fourcc(), [b'Y', b'U', b'Y', b'V']));
    /// ```
    pub const fn fourcc(self) -> [u8; 4] {
        self.0.to_le_bytes()
    }
}

impl fmt::Display for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.fourcc() {
            let c = if byte.is_ascii_graphic() || byte == b' ' {
                byte as char
            } else {
                '?'
            };
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PixelFormat({self})")
    }
}

/// A frame format: pixel format and size (OpenMV's `pixformat` and `framesize`).
///
/// ```no_run
/// # use asyncio::camera::{Camera, CameraError};
/// use asyncio::camera::{Format, PixelFormat};
///
/// # fn f(camera: &Camera) -> Result<(), CameraError> {
/// camera.set_format(Format { pixel_format: PixelFormat::RGB565, width: 160, height: 120 })?;
/// assert_eq!(camera.format().width, 160);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// The pixel format.
    pub pixel_format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Format {
    /// `width` × `height` pixels of `pixel_format`.
    ///
    /// ```no_run
    /// use asyncio::camera::{Format, PixelFormat};
    ///
    /// const QQVGA_GREY: Format = Format::new(PixelFormat::GREY, 160, 120);
    /// ```
    pub const fn new(pixel_format: PixelFormat, width: u32, height: u32) -> Self {
        Format {
            pixel_format,
            width,
            height,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}x{}", self.pixel_format, self.width, self.height)
    }
}

/// One line of a driver's capabilities: a pixel format and the sizes it comes in.
///
/// ```no_run
/// # use asyncio::camera::Camera;
/// # fn f(camera: &Camera) {
/// for cap in camera.supported_formats() {
///     log::info!("{} {:?} x {:?}", cap.pixel_format, cap.width, cap.height);
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatCap {
    /// The pixel format.
    pub pixel_format: PixelFormat,
    /// Smallest and largest width.
    pub width: (u32, u32),
    /// Smallest and largest height.
    pub height: (u32, u32),
    /// Width and height steps between the two (1: any size in range).
    pub step: (u16, u16),
}

impl FormatCap {
    /// Whether `format` is one of the formats this line offers.
    ///
    /// ```no_run
    /// # use asyncio::camera::Camera;
    /// use asyncio::camera::{Format, PixelFormat};
    ///
    /// # fn f(camera: &Camera) -> bool {
    /// let wanted = Format::new(PixelFormat::RGB565, 320, 240);
    /// camera.supported_formats().iter().any(|cap| cap.covers(&wanted))
    /// # }
    /// ```
    pub fn covers(&self, format: &Format) -> bool {
        fn fits(value: u32, (min, max): (u32, u32), step: u16) -> bool {
            (min..=max).contains(&value) && (value - min) % u32::from(step.max(1)) == 0
        }
        self.pixel_format == format.pixel_format
            && fits(format.width, self.width, self.step.0)
            && fits(format.height, self.height, self.step.1)
    }
}

impl fmt::Display for FormatCap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, h) = (self.width, self.height);
        if w.0 == w.1 && h.0 == h.1 {
            write!(f, "{} {}x{}", self.pixel_format, w.0, h.0)
        } else {
            write!(f, "{} {}..{}x{}..{}", self.pixel_format, w.0, w.1, h.0, h.1)
        }
    }
}
